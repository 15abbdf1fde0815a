import type { Point } from '../geometry/plane';
import { insidePolygon } from '../geometry/plane';
import type { TrackedFoot } from './line-counter';

/** A named zone in source-frame pixels. */
export interface Zone {
  name: string;
  polygon: Point[];
  /** A queue (a till, a counter): its statistics carry queue length and wait times. */
  queue?: boolean;
}

/** A queue zone's numbers now. */
export interface QueueStatistics {
  /** People in the queue now. */
  length: number;
  /** Median dwell of those who left it in the last QUEUE_WINDOW_SECONDS (measured), or null. */
  waitSeconds: number | null;
  /**
   * For someone joining now: the people ahead, and the one joining, each take one service interval
   * (the median time between successive exits while the queue was not empty; else the measured
   * wait). Null before anyone has left.
   */
  estimatedWaitSeconds: number | null;
  /** The longest anyone in the queue now has been in it. */
  longestWaitingSeconds: number;
}

export interface ZoneStatistics {
  occupancy: number;
  visits: number;
  meanDwellSeconds: number | null;
  medianDwellSeconds: number | null;
  /** Visits that ended today, and their summed length (for history's per-minute dwell). */
  dwells: number;
  dwellSeconds: number;
  personSeconds: number;
  queue?: QueueStatistics;
}

/** A day's numbers per zone, as they are saved (open visits are not: those people start again). */
export interface ZoneDayFile {
  version: 1;
  day: string;
  zones: Record<string, { visits: number; dwells: number[]; personSeconds: number }>;
  savedAt: number;
}

/** The recent past that queue wait times are measured over. */
export const QUEUE_WINDOW_SECONDS = 600;

const medianOfSorted = (sorted: readonly number[]): number | null => {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const median = (values: readonly number[]): number | null =>
  medianOfSorted([...values].sort((a, b) => a - b));

/** A zone's day: dwells kept sorted (and summed), so each frame's statistics need no sort of the day. */
interface ZoneDay {
  visits: number;
  dwells: number[];
  dwellTotal: number;
  personSeconds: number;
}
const emptyDay = (): ZoneDay => ({ visits: 0, dwells: [], dwellTotal: 0, personSeconds: 0 });

/** Puts `value` into the ascending list `sorted` where it belongs. */
function insertSorted(sorted: number[], value: number): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
}

export interface ZoneMonitorOptions {
  /**
   * How long a foot point must be inside (or outside) before the person counts as entered (or left),
   * in seconds. Longer: a person brushing the edge or a box jittering across it makes no visit, but
   * short visits are missed and dwell starts later. The visit's times are those of the first frame
   * inside and outside, so the inertia does not bias dwell.
   */
  inertiaSeconds: number;
  /** A person unseen this long (the tracker lost them) has left every zone, at the time last seen. */
  lostAfterSeconds: number;
}

// lostAfterSeconds is above the tracker's lost-track buffer (5 s): a person it finds again keeps one visit.
export const DEFAULT_ZONE_MONITOR: ZoneMonitorOptions = { inertiaSeconds: 1, lostAfterSeconds: 6 };

export interface ZoneEvent {
  zone: string;
  event: 'enter' | 'exit';
  trackId: number;
  /** ms: the first frame inside (enter) or outside (exit). */
  at: number;
  /** On exit: seconds from enter to exit. */
  dwellSeconds?: number;
}

interface PersonInZone {
  inside: boolean;
  /** When the person's visit began (inside) or when they first stood outside again (leaving). */
  since: number;
  /** A change of inside/outside not yet held for the inertia: when it began. */
  changeSince: number | null;
  seenAt: number;
}

/**
 * Who is in which zone: a person is in a zone when their foot point is inside its polygon, with an
 * inertia against flicker. Per zone: people in it now, visits, dwell per visit, person-seconds.
 */
export class ZoneMonitor {
  private readonly options: ZoneMonitorOptions;
  private readonly people = new Map<string, PersonInZone>();
  private readonly stats = new Map<string, ZoneDay>();
  /** Per queue zone: recent exits, with whether someone was still in the queue right after. */
  private readonly exits = new Map<string, Array<{ at: number; dwell: number; busyAfter: boolean }>>();
  private lastAt: number | null = null;

  constructor(
    readonly zones: readonly Zone[],
    options: Partial<ZoneMonitorOptions> = {},
  ) {
    this.options = { ...DEFAULT_ZONE_MONITOR, ...options };
    for (const zone of zones) this.stats.set(zone.name, emptyDay());
  }

  /** One frame's tracks at `at` (ms); returns the enters and exits it completed. */
  update(tracks: readonly TrackedFoot[], at: number): ZoneEvent[] {
    const events: ZoneEvent[] = [];
    const dt = this.lastAt === null ? 0 : Math.max(0, (at - this.lastAt) / 1000);
    this.lastAt = at;
    for (const zone of this.zones) {
      for (const track of tracks) {
        const key = `${zone.name}\u0000${track.id}`;
        const inside = insidePolygon(zone.polygon, track.footPoint);
        const person = this.people.get(key) ?? { inside: false, since: at, changeSince: null, seenAt: at };
        this.people.set(key, person);
        person.seenAt = at;
        if (inside === person.inside) person.changeSince = null;
        else {
          person.changeSince ??= at;
          if (at - person.changeSince >= this.options.inertiaSeconds * 1000) {
            events.push(this.change(zone.name, track.id, person, person.changeSince));
          }
        }
        if (person.inside) this.stats.get(zone.name)!.personSeconds += dt;
      }
    }
    // People the tracker lost: they left at the time they were last seen.
    for (const [key, person] of this.people) {
      if (at - person.seenAt <= this.options.lostAfterSeconds * 1000) continue;
      const [zone, id] = key.split('\u0000');
      if (person.inside) events.push(this.change(zone, Number(id), person, person.seenAt));
      this.people.delete(key);
    }
    return events;
  }

  /** Ends every open visit at `at` (the end of a video): their exits. */
  closeAll(at: number): ZoneEvent[] {
    const events: ZoneEvent[] = [];
    for (const [key, person] of this.people) {
      const [zone, id] = key.split('\u0000');
      if (person.inside) events.push(this.change(zone, Number(id), person, at));
    }
    this.people.clear();
    return events;
  }

  /**
   * Per zone: people in it now, visits ended or begun, dwell of finished visits, person-seconds; for
   * queue zones also the queue's length and waits (`now`: the time of the latest frame).
   */
  statistics(now: number = this.lastAt ?? 0): Record<string, ZoneStatistics> {
    const result: Record<string, ZoneStatistics> = {};
    for (const zone of this.zones) {
      const s = this.stats.get(zone.name)!;
      const inside = this.inside(zone.name);
      result[zone.name] = {
        occupancy: inside.length,
        visits: s.visits,
        meanDwellSeconds: s.dwells.length ? s.dwellTotal / s.dwells.length : null,
        medianDwellSeconds: medianOfSorted(s.dwells),
        dwells: s.dwells.length,
        dwellSeconds: s.dwellTotal,
        personSeconds: s.personSeconds,
        ...(zone.queue ? { queue: this.queueStatistics(zone.name, inside, now) } : {}),
      };
    }
    return result;
  }

  /** The day's numbers start again (midnight, `reset`); people inside stay inside. */
  resetDay(): void {
    for (const name of this.stats.keys()) this.stats.set(name, emptyDay());
    for (const list of this.exits.values()) list.length = 0;
  }

  toFile(day: string, now: number): ZoneDayFile {
    return {
      version: 1,
      day,
      zones: Object.fromEntries(
        [...this.stats].map(([name, s]) => [
          name,
          {
            visits: s.visits,
            dwells: s.dwells.map((d) => Math.round(d * 100) / 100),
            personSeconds: s.personSeconds,
          },
        ]),
      ),
      savedAt: now,
    };
  }

  /** Takes back a saved day when it is `day` (a restart): false for another day, and nothing changes. */
  restore(file: unknown, day: string): boolean {
    const f = file as Partial<ZoneDayFile> | null;
    if (!f || f.version !== 1 || f.day !== day || typeof f.zones !== 'object' || !f.zones) return false;
    const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
    for (const [name, z] of Object.entries(f.zones)) {
      if (!this.stats.has(name)) continue;
      const dwells = (Array.isArray(z?.dwells) ? z.dwells.map(number) : []).sort((x, y) => x - y);
      this.stats.set(name, {
        visits: Math.round(number(z?.visits)),
        dwells,
        dwellTotal: dwells.reduce((sum, d) => sum + d, 0),
        personSeconds: number(z?.personSeconds),
      });
    }
    return true;
  }

  /** The people inside a zone now, with when their visit began. */
  private inside(zone: string): PersonInZone[] {
    const prefix = `${zone}\u0000`;
    return [...this.people].filter(([key, p]) => p.inside && key.startsWith(prefix)).map(([, p]) => p);
  }

  private queueStatistics(zone: string, inside: PersonInZone[], now: number): QueueStatistics {
    const recent = (this.exits.get(zone) ?? [])
      .filter((e) => now - e.at <= QUEUE_WINDOW_SECONDS * 1000)
      // Exits are booked when the inertia has passed (or the track was lost): by time, not booking.
      .sort((a, b) => a.at - b.at);
    const waitSeconds = median(recent.map((e) => e.dwell));
    // A gap between two exits is a service interval when the queue was not empty in between.
    const intervals: number[] = [];
    for (let i = 1; i < recent.length; i++) {
      if (recent[i - 1].busyAfter) intervals.push((recent[i].at - recent[i - 1].at) / 1000);
    }
    const service = median(intervals) ?? waitSeconds;
    return {
      length: inside.length,
      waitSeconds,
      estimatedWaitSeconds: service === null ? null : (inside.length + 1) * service,
      longestWaitingSeconds: inside.reduce((m, p) => Math.max(m, (now - p.since) / 1000), 0),
    };
  }

  private change(zone: string, trackId: number, person: PersonInZone, at: number): ZoneEvent {
    const stats = this.stats.get(zone)!;
    person.changeSince = null;
    if (!person.inside) {
      person.inside = true;
      person.since = at;
      stats.visits++;
      return { zone, event: 'enter', trackId, at };
    }
    person.inside = false;
    const dwellSeconds = Math.max(0, (at - person.since) / 1000);
    insertSorted(stats.dwells, dwellSeconds);
    stats.dwellTotal += dwellSeconds;
    person.since = at;
    if (this.zones.find((z) => z.name === zone)?.queue) {
      const list = this.exits.get(zone) ?? [];
      this.exits.set(zone, list);
      list.push({ at, dwell: dwellSeconds, busyAfter: this.inside(zone).length > 0 });
      // Only the window is needed; exits come in time order.
      while (list.length > 0 && at - list[0].at > QUEUE_WINDOW_SECONDS * 1000) list.shift();
    }
    return { zone, event: 'exit', trackId, at, dwellSeconds };
  }
}
