import { beginsLaterDay, dayFolder } from '../time/local-day';
import type { Crossing } from './line-counter';

/** In and out across one line, or across all of a camera's lines. */
export interface InOut {
  in: number;
  out: number;
}

/** A camera's footfall for the day, as it is saved and as msg.footfall carries it. */
export interface FootfallTotals {
  /** YYYYMMDD, local time. */
  day: string;
  lines: Record<string, InOut>;
  /** Sums over the lines. */
  in: number;
  out: number;
  /** In minus out since opening (the last reset hour), never below 0. */
  occupancy: number;
  /** Crossings per local hour of the day, summed over the lines: index 0 is 00:00-00:59. */
  hourly: { in: number[]; out: number[] };
}

/** The saved form (one JSON file per node and camera). */
export interface FootfallFile extends FootfallTotals {
  version: 1;
  /** ms: the start of the occupancy period it counts since. */
  occupancySince: number;
  savedAt: number;
}

/** The local time of the latest `hour`:00 at or before `at` (today's or yesterday's). */
export function lastResetAt(at: number, hour: number): number {
  const d = new Date(at);
  d.setHours(hour, 0, 0, 0);
  if (d.getTime() > at) {
    d.setDate(d.getDate() - 1);
    d.setHours(hour, 0, 0, 0);
  }
  return d.getTime();
}

const zeros = () => new Array<number>(24).fill(0);

/**
 * One camera's footfall book for a day: crossings in and out per line and per hour, and the
 * occupancy (in minus out, never below 0). The day ends at local midnight; occupancy restarts at
 * its own reset hour (a store open past midnight counts its night with the evening).
 */
export class FootfallDay {
  private day: string;
  private lines: Record<string, InOut> = {};
  private hourly = { in: zeros(), out: zeros() };
  private occupancy = 0;
  private occupancySince: number;

  /**
   * @param lineNames the lines counted (a line without crossings still shows 0)
   * @param occupancyResetHour local hour at which occupancy goes back to 0 (null: midnight)
   */
  constructor(
    private lineNames: readonly string[],
    private readonly occupancyResetHour: number | null,
    now: number,
  ) {
    this.day = dayFolder(now);
    this.occupancySince = lastResetAt(now, occupancyResetHour ?? 0);
    for (const name of lineNames) this.lines[name] = { in: 0, out: 0 };
  }

  /** The lines changed (a new drawing): lines no longer drawn go, new ones start at 0. */
  setLines(names: readonly string[]): void {
    this.lineNames = names;
    this.lines = Object.fromEntries(names.map((n) => [n, this.lines[n] ?? { in: 0, out: 0 }]));
  }

  /**
   * Moves to the day and occupancy period of `at`. Returns the finished day when midnight passed
   * (it is the caller's to save or report), else null.
   */
  advance(at: number): FootfallTotals | null {
    const finished = beginsLaterDay(this.day, at) ? this.startDay(dayFolder(at)) : null;
    const since = lastResetAt(at, this.occupancyResetHour ?? 0);
    if (since > this.occupancySince) {
      this.occupancySince = since;
      this.occupancy = 0;
    }
    return finished;
  }

  /**
   * Midnight: the crossings start again for `day`; occupancy carries over until its reset hour (a
   * store open past midnight). Returns the finished day.
   */
  startDay(day: string): FootfallTotals {
    const finished = this.totals();
    this.day = day;
    for (const name of this.lineNames) this.lines[name] = { in: 0, out: 0 };
    this.hourly = { in: zeros(), out: zeros() };
    return finished;
  }

  /** Books one crossing (advance to its time first). */
  add(crossing: Crossing): void {
    const line = (this.lines[crossing.line] ??= { in: 0, out: 0 });
    line[crossing.direction]++;
    this.hourly[crossing.direction][new Date(crossing.at).getHours()]++;
    // Never below 0: someone who came in before the period (or past a camera gap) walking out.
    this.occupancy = Math.max(0, this.occupancy + (crossing.direction === 'in' ? 1 : -1));
  }

  /** Everything back to 0 (the `reset` command); the day stays the one being counted. */
  reset(now: number): void {
    for (const name of this.lineNames) this.lines[name] = { in: 0, out: 0 };
    this.hourly = { in: zeros(), out: zeros() };
    this.occupancy = 0;
    this.occupancySince = now;
  }

  totals(): FootfallTotals {
    const lines = Object.fromEntries(Object.entries(this.lines).map(([n, c]) => [n, { ...c }]));
    const sum = (k: keyof InOut) => Object.values(lines).reduce((a, c) => a + c[k], 0);
    return {
      day: this.day,
      lines,
      in: sum('in'),
      out: sum('out'),
      occupancy: this.occupancy,
      hourly: { in: [...this.hourly.in], out: [...this.hourly.out] },
    };
  }

  toFile(now: number): FootfallFile {
    return { version: 1, ...this.totals(), occupancySince: this.occupancySince, savedAt: now };
  }

  /**
   * Takes back a saved book when it is of `day`, the day being counted (a restart): counts, hours
   * and, when still in its period, occupancy. A file of another day: false, and nothing changes.
   */
  restore(file: unknown, day: string): boolean {
    const f = file as Partial<FootfallFile> | null;
    if (!f || f.version !== 1 || f.day !== day || typeof f.lines !== 'object' || !f.lines) {
      return false;
    }
    const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
    // Only the lines drawn now: a line renamed or removed since starts (or stays) apart.
    for (const [name, c] of Object.entries(f.lines)) {
      if (this.lineNames.includes(name)) this.lines[name] = { in: count(c?.in), out: count(c?.out) };
    }
    for (const k of ['in', 'out'] as const) {
      const hours = f.hourly?.[k];
      if (Array.isArray(hours) && hours.length === 24) this.hourly[k] = hours.map(count);
    }
    if (typeof f.occupancySince === 'number' && f.occupancySince >= this.occupancySince) {
      this.occupancy = count(f.occupancy);
      this.occupancySince = f.occupancySince;
    }
    return true;
  }
}
