import type { CameraSelection } from '../control/command';
import { Areas, areasSetting, scaleAreas } from './areas';
import { CameraDays, DayBook, DaysIo } from './camera-days';
import { FootfallDay, FootfallTotals } from './footfall-day';
import type { FrameTracks } from './frame-tracks';
import { Crossing, LineCounter, LineCounterOptions } from './line-counter';
import type { LineCountingSettings } from './line-counting-settings';

/** A camera's footfall of the day, as msg.footfall carries it. */
export type FootfallSummary = Omit<FootfallTotals, 'occupancy'> & {
  cameraId: string;
  /** In minus out since opening; null when the node does not keep occupancy. */
  occupancy: number | null;
};

/** One crossing, as line-counter's second output carries it in msg.payload. */
export interface CrossingPayload {
  cameraId: string;
  line: string;
  direction: 'in' | 'out';
  trackId: number;
  /** ms since epoch: when the person stood past the line. */
  at: number;
  /** The same as an ISO time. */
  time: string;
}

/** One camera's book: the day's footfall, and its lines drawn at the camera's frame size. */
class FootfallBook implements DayBook {
  readonly footfall: FootfallDay;
  counter: LineCounter | null = null;

  constructor(
    private readonly counting: { lines: Areas; options: LineCounterOptions },
    occupancyResetHour: number | null,
    at: number,
  ) {
    this.footfall = new FootfallDay(
      counting.lines.lines.map((l) => l.name),
      occupancyResetHour,
      at,
    );
  }

  draw(width: number, height: number): void {
    // The counter's people start again at the redrawn lines; the day's counts stay in the footfall.
    this.counter = new LineCounter(
      scaleAreas(this.counting.lines, width, height).lines,
      this.counting.options,
    );
  }

  toFile(_day: string, now: number): unknown {
    return this.footfall.toFile(now);
  }

  restore(file: unknown, day: string): boolean {
    return this.footfall.restore(file, day);
  }

  startDay(day: string): void {
    this.footfall.startDay(day);
  }

  reset(now: number): void {
    this.footfall.reset(now);
  }

  summary(): string {
    const { in: entered, out } = this.footfall.totals();
    return `${entered} in, ${out} out`;
  }
}

/**
 * line-counter's policy without Node-RED: each camera's crossings of the lines, booked in its day
 * (CameraDays: restored after a restart, a new day at midnight, saved soon after each crossing).
 */
export class LineCounting {
  private readonly days: CameraDays<FootfallBook>;

  constructor(
    private readonly settings: LineCountingSettings,
    io: DaysIo,
  ) {
    this.days = new CameraDays({
      what: 'counts',
      newBook: (_cameraId, at) => new FootfallBook(this.settings, settings.occupancyResetHour, at),
      ...io,
    });
  }

  get lineCount(): number {
    return this.settings.lines.lines.length;
  }

  /** One frame of a camera this node counts: the crossings it completed, and the day's footfall after them. */
  count(frame: FrameTracks): { footfall: FootfallSummary; crossings: CrossingPayload[] } {
    const camera = this.days.dayOf(frame.cameraId, frame.at, frame.width, frame.height);
    const { footfall, counter } = camera.book;
    // The day has moved on in dayOf; this moves the occupancy period (its own reset hour).
    footfall.advance(frame.at);
    const crossings = counter!.update(frame.tracks, frame.at);
    for (const c of crossings) footfall.add(c);
    if (crossings.length > 0) this.days.save(camera);
    return {
      footfall: this.summaryOf(camera.cameraId, footfall),
      crossings: crossings.map((c) => crossingPayload(camera.cameraId, c)),
    };
  }

  /** New lines from the flow (a list of lines or { lines, size }): counts of lines kept stay. Throws when unreadable. */
  setLines(value: unknown): void {
    this.settings.lines = areasSetting(value, 'lines');
    const names = this.settings.lines.lines.map((l) => l.name);
    for (const camera of this.days.all()) {
      camera.book.footfall.setLines(names);
      this.days.save(camera);
    }
    this.days.redrawAll();
  }

  /** The `reset` command: the selected cameras' counts back to 0. Returns the cameras reset. */
  reset(selection: CameraSelection, now: number): string[] {
    return this.days.reset(selection, now);
  }

  /** The node's status: the sums over its cameras ("2 cameras: 12 in, 9 out, 3 inside"). */
  statusText(): string {
    const all = this.days.all().map((c) => c.book.footfall.totals());
    const sum = (k: 'in' | 'out' | 'occupancy') => all.reduce((a, t) => a + t[k], 0);
    const inside = this.settings.keepsOccupancy ? `, ${sum('occupancy')} inside` : '';
    const who = all.length > 1 ? `${all.length} cameras: ` : '';
    return `${who}${sum('in')} in, ${sum('out')} out${inside}`;
  }

  close(): Promise<void> {
    return this.days.close();
  }

  private summaryOf(cameraId: string, footfall: FootfallDay): FootfallSummary {
    const totals = footfall.totals();
    return { cameraId, ...totals, occupancy: this.settings.keepsOccupancy ? totals.occupancy : null };
  }
}

function crossingPayload(cameraId: string, c: Crossing): CrossingPayload {
  const { line, direction, trackId, at } = c;
  return { cameraId, line, direction, trackId, at, time: new Date(at).toISOString() };
}
