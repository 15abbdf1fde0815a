import type { Point } from '../geometry/plane';
import { sideOfLine } from '../geometry/plane';

/** A directed counting line in source-frame pixels. */
export interface CountingLine {
  name: string;
  from: Point;
  to: Point;
}

/** Where a tracked person stands, as the tracker gives it. */
export interface TrackedFoot {
  id: number;
  footPoint: Point;
}

export interface LineCounterOptions {
  /**
   * Half-width of the band around the line, in pixels. A foot point inside it is on neither side, so
   * a person standing on the line or jittering across it counts nothing. Wider: fewer flicker counts,
   * but a person must walk further past the line (and a short step over it is missed).
   */
  bandPx: number;
  /**
   * How long a person must stay on the new side before the crossing counts. Longer: a step over the
   * line and back counts nothing, but a crossing at the edge of the view (the person leaves soon
   * after) may be missed.
   */
  minSideSeconds: number;
  /** Per-person state is dropped after this long unseen (the tracker's lost-track buffer, plus margin). */
  forgetAfterSeconds: number;
}

export const DEFAULT_LINE_COUNTER: LineCounterOptions = {
  bandPx: 12,
  minSideSeconds: 0.3,
  forgetAfterSeconds: 10,
};

/**
 * One crossing. "in" is a crossing from the side where cross(to - from, p - from) > 0 to the side
 * where it is < 0 (x right, y down): a line drawn top to bottom counts left -> right as in.
 */
export interface Crossing {
  line: string;
  direction: 'in' | 'out';
  trackId: number;
  /** ms: when the person first stood past the band on the new side. */
  at: number;
}

interface PersonAtLine {
  /** The side the person was last settled on: +1, -1, or 0 before the first observation off the band. */
  side: -1 | 0 | 1;
  /** A move to the other side not yet held for minSideSeconds. */
  pending: { side: -1 | 1; since: number; withinSegment: boolean } | null;
  /** The last foot point on the settled side or in the band (where the path towards the line started). */
  last: Point;
  seenAt: number;
}

/**
 * Counts people crossing directed lines: every crossing, not every id once (a person walking back
 * and forth counts each time). A crossing counts when the foot point goes from one side, past a band
 * around the line, to the other side within the segment, and stays there for minSideSeconds. A new
 * id that first appears past the line (an id switch at the line) settles on that side and counts
 * nothing: only a path that crossed counts.
 */
export class LineCounter {
  private readonly options: LineCounterOptions;
  private readonly people = new Map<string, PersonAtLine>();
  private readonly counts = new Map<string, { in: number; out: number }>();

  constructor(
    readonly lines: readonly CountingLine[],
    options: Partial<LineCounterOptions> = {},
  ) {
    this.options = { ...DEFAULT_LINE_COUNTER, ...options };
    for (const line of lines) this.counts.set(line.name, { in: 0, out: 0 });
  }

  /** Crossings in and out per line since the last reset. */
  totals(): Record<string, { in: number; out: number }> {
    return Object.fromEntries([...this.counts].map(([name, c]) => [name, { ...c }]));
  }

  /** Sets the counts (a restored day). */
  restore(totals: Record<string, { in: number; out: number }>): void {
    for (const [name, c] of Object.entries(totals)) {
      if (this.counts.has(name)) this.counts.set(name, { in: c.in, out: c.out });
    }
  }

  reset(): void {
    for (const name of this.counts.keys()) this.counts.set(name, { in: 0, out: 0 });
  }

  /** One frame's tracks at `at` (ms); returns the crossings it completed. */
  update(tracks: readonly TrackedFoot[], at: number): Crossing[] {
    const crossings: Crossing[] = [];
    for (const track of tracks) {
      for (const line of this.lines) {
        const crossing = this.observe(line, track, at);
        if (crossing) crossings.push(crossing);
      }
    }
    for (const [key, person] of this.people) {
      // Gone from view while on the new side (it walked out of the picture right after crossing):
      // it did not come back, so the crossing stands.
      if (person.pending && at - person.seenAt > this.options.minSideSeconds * 1000) {
        const crossing = this.confirm(key, person);
        if (crossing) crossings.push(crossing);
      }
      if (at - person.seenAt > this.options.forgetAfterSeconds * 1000) this.people.delete(key);
    }
    return crossings;
  }

  /** The end of a video: crossings still waiting for minSideSeconds count (the person did not come back). */
  closeAll(): Crossing[] {
    const crossings: Crossing[] = [];
    for (const [key, person] of this.people) {
      const crossing = person.pending ? this.confirm(key, person) : null;
      if (crossing) crossings.push(crossing);
    }
    this.people.clear();
    return crossings;
  }

  private observe(line: CountingLine, track: TrackedFoot, at: number): Crossing | null {
    const key = `${line.name}\u0000${track.id}`;
    const { distance, along } = sideOfLine(line.from, line.to, track.footPoint);
    const side: -1 | 0 | 1 = distance > this.options.bandPx ? 1 : distance < -this.options.bandPx ? -1 : 0;
    let person = this.people.get(key);
    if (!person) {
      // First seen: settled where it stands (in the band: not yet on a side).
      person = { side, pending: null, last: track.footPoint, seenAt: at };
      this.people.set(key, person);
      return null;
    }
    person.seenAt = at;
    if (person.side === 0) {
      // Appeared on the line: the first side it leaves to is where it starts from.
      if (side !== 0) person.side = side;
      person.last = track.footPoint;
      return null;
    }
    if (side === 0 || side === person.side) {
      // Back on its side (a step over and back) or on the line: no crossing; the path starts here.
      if (side === person.side) person.pending = null;
      if (!person.pending) person.last = track.footPoint;
      return null;
    }
    if (!person.pending) {
      // Where the path from the last point to this one meets the line must be on the segment.
      const start = sideOfLine(line.from, line.to, person.last);
      const t = start.distance / (start.distance - distance);
      const crossingAlong = start.along + t * (along - start.along);
      person.pending = { side, since: at, withinSegment: crossingAlong >= 0 && crossingAlong <= 1 };
    }
    if (at - person.pending.since < this.options.minSideSeconds * 1000) return null;
    person.last = track.footPoint;
    return this.confirm(key, person);
  }

  /** The pending move holds: the person is on the new side; counted when the path crossed the segment. */
  private confirm(key: string, person: PersonAtLine): Crossing | null {
    const { side, since, withinSegment } = person.pending!;
    const from = person.side;
    person.side = side;
    person.pending = null;
    if (!withinSegment) return null;
    const [lineName, id] = key.split('\u0000');
    const direction = from > 0 ? 'in' : 'out';
    this.counts.get(lineName)![direction]++;
    return { line: lineName, direction, trackId: Number(id), at: since };
  }
}
