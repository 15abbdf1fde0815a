import { MINUTE_MS, minuteStart } from '../time/local-time';
import { Cursor, emptyMinute, emptyZoneMinute, MinuteRow } from './minute-row';

/**
 * What one frame message tells history: the people in view, and the other nodes' running totals
 * of the day (they restart at a reset or at midnight). Totals rather than events: a node restarted
 * after a crash restores its day, and the difference to the last total written is exactly what
 * history has not got yet.
 */
export interface FrameObservation {
  cameraId: string;
  /** ms: when the frame was captured. */
  at: number;
  peopleInView: number;
  /** The heatmap's day (msg.heatmap): visitors and activity since its start (`since`). */
  heat?: { since: number; visitors: number; activitySeconds: number };
  /** line-counter's day (msg.footfall). */
  footfall?: { day: string; lines: Record<string, { in: number; out: number }> };
  /** zone-monitor's day (msg.zones). */
  zones?: {
    day: string;
    zones: Record<
      string,
      { occupancy: number; visits: number; dwells: number; dwellSeconds: number; personSeconds: number }
    >;
  };
}

export interface RecorderOptions {
  /** A longer pause between two frames of a camera is a gap, as for the heatmap. */
  maxFrameIntervalSeconds: number;
  /** A minute is finished this long after its end if no later frame closed it before. */
  graceMs: number;
}

export const DEFAULT_RECORDER: RecorderOptions = { maxFrameIntervalSeconds: 2, graceMs: 5000 };

interface CameraState {
  lastAt: number | null;
  rows: Map<number, MinuteRow>;
}

/**
 * Turns frame messages into minute rows per camera. Time between two frames counts as covered,
 * split between the minutes it spans; a minute no frame reached has no row at all, and reads as
 * missing.
 */
export class MinuteRecorder {
  private readonly cameras = new Map<string, CameraState>();
  /** camera -> counter key -> cursor; kept in the database with the rows (see HistoryDb). */
  readonly cursors = new Map<string, Map<string, Cursor>>();

  constructor(private readonly options: RecorderOptions = DEFAULT_RECORDER) {}

  /** Cameras whose last written totals are not known yet (the database could not be opened). */
  private readonly awaiting = new Set<string>();

  /** Cursors read back at start, so a restart takes only what it has not written. */
  restoreCursors(cameraId: string, cursors: Map<string, Cursor>): void {
    this.cursors.set(cameraId, cursors);
    this.awaiting.delete(cameraId);
  }

  /**
   * The camera's written totals cannot be read now (the database is not open): until
   * restoreCursors, its counts are not taken (a total of the day would count again what the
   * database has); the first frame after it takes all that grew since the last write. The minutes
   * keep their coverage and people in view meanwhile.
   */
  awaitCursors(cameraId: string): void {
    this.awaiting.add(cameraId);
  }

  isAwaitingCursors(cameraId: string): boolean {
    return this.awaiting.has(cameraId);
  }

  add(obs: FrameObservation): void {
    let cam = this.cameras.get(obs.cameraId);
    if (!cam) {
      cam = { lastAt: null, rows: new Map() };
      this.cameras.set(obs.cameraId, cam);
    }
    if (cam.lastAt !== null && obs.at <= cam.lastAt) return; // repeated or out of order
    const row = this.row(cam, obs.cameraId, minuteStart(obs.at));
    const people = Math.max(0, obs.peopleInView);
    row.peopleMax = Math.max(row.peopleMax, people);
    const dt = cam.lastAt === null ? 0 : (obs.at - cam.lastAt) / 1000;
    if (dt > 0 && dt <= this.options.maxFrameIntervalSeconds) {
      // The interval up to this frame, split at minute boundaries (as the heatmap weighs it: this
      // frame's people for the time since the last frame).
      let from = cam.lastAt!;
      while (from < obs.at) {
        const start = minuteStart(from);
        const to = Math.min(obs.at, start + MINUTE_MS);
        const part = this.row(cam, obs.cameraId, start);
        const seconds = (to - from) / 1000;
        part.coveredSeconds += seconds;
        part.peopleSeconds += people * seconds;
        from = to;
      }
    }
    cam.lastAt = obs.at;

    if (obs.heat) {
      const period = `heat:${obs.heat.since}`;
      row.visitors += this.delta(row, 'visitors', period, obs.heat.visitors);
      row.activitySeconds += this.delta(row, 'activity', period, obs.heat.activitySeconds);
    }
    if (obs.footfall) {
      const period = `day:${obs.footfall.day}`;
      for (const [name, line] of Object.entries(obs.footfall.lines)) {
        const into = (row.lines[name] ??= { in: 0, out: 0 });
        into.in += this.delta(row, `in:${name}`, period, line.in);
        into.out += this.delta(row, `out:${name}`, period, line.out);
      }
    }
    if (obs.zones) {
      const period = `day:${obs.zones.day}`;
      for (const [name, zone] of Object.entries(obs.zones.zones)) {
        const into = (row.zones[name] ??= emptyZoneMinute());
        into.occupancyMax = Math.max(into.occupancyMax, zone.occupancy);
        into.occupancySeconds += this.delta(row, `zone-seconds:${name}`, period, zone.personSeconds);
        into.visits += this.delta(row, `visits:${name}`, period, zone.visits);
        into.dwells += this.delta(row, `dwells:${name}`, period, zone.dwells);
        into.dwellSeconds += this.delta(row, `dwell-seconds:${name}`, period, zone.dwellSeconds);
      }
    }
  }

  /**
   * Rows of minutes that are over: a later frame of the camera came, or `now` is past the minute's
   * end and the grace. Taken out: the caller writes them.
   */
  takeFinished(now: number): MinuteRow[] {
    const out: MinuteRow[] = [];
    for (const cam of this.cameras.values()) {
      const current = cam.lastAt === null ? -Infinity : minuteStart(cam.lastAt);
      for (const [minute, row] of cam.rows) {
        if (minute < current || minute + MINUTE_MS + this.options.graceMs <= now) {
          out.push(row);
          cam.rows.delete(minute);
        }
      }
    }
    return out.sort((a, b) => a.minute - b.minute);
  }

  /**
   * Per camera, the first minute whose row is held here, not yet taken to be written (the minute in
   * progress, or one just over): queries leave it and what follows out rather than read it as a gap.
   */
  unfinishedMinutes(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [cameraId, cam] of this.cameras) {
      if (cam.rows.size > 0) out.set(cameraId, Math.min(...cam.rows.keys()));
    }
    return out;
  }

  /** Every row, the current minutes too (at close: the next run adds the rest of the minute). */
  takeAll(): MinuteRow[] {
    const out = [...this.cameras.values()].flatMap((cam) => [...cam.rows.values()]);
    for (const cam of this.cameras.values()) {
      cam.rows.clear();
      cam.lastAt = null; // the pause until the next run's first frame is a gap, not covered time
    }
    return out.sort((a, b) => a.minute - b.minute);
  }

  private row(cam: CameraState, cameraId: string, minute: number): MinuteRow {
    let row = cam.rows.get(minute);
    if (!row) {
      row = emptyMinute(cameraId, minute);
      cam.rows.set(minute, row);
    }
    return row;
  }

  /** What a running total added since it was last seen; the row keeps the total for its write. */
  private delta(row: MinuteRow, key: string, period: string, value: number): number {
    if (!Number.isFinite(value) || this.awaiting.has(row.cameraId)) return 0;
    let cursors = this.cursors.get(row.cameraId);
    if (!cursors) {
      cursors = new Map();
      this.cursors.set(row.cameraId, cursors);
    }
    const last = cursors.get(key);
    cursors.set(key, { period, value });
    row.cursors[key] = { period, value };
    // Another period (a new day, a reset that restarts the heatmap's day): all of it is new.
    if (!last || last.period !== period) return Math.max(0, value);
    // Less in the same period: the node restored an older save after a crash (history has those
    // counts already) or was reset by command (counting starts again from here). Either way: none new.
    return Math.max(0, value - last.value);
  }
}
