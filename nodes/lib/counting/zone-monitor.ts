import type { Point } from '../geometry/plane';
import { insidePolygon } from '../geometry/plane';
import type { TrackedFoot } from './line-counter';

/** A named zone in source-frame pixels. */
export interface Zone {
  name: string;
  polygon: Point[];
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
  private readonly stats = new Map<string, { visits: number; dwells: number[]; personSeconds: number }>();
  private lastAt: number | null = null;

  constructor(
    readonly zones: readonly Zone[],
    options: Partial<ZoneMonitorOptions> = {},
  ) {
    this.options = { ...DEFAULT_ZONE_MONITOR, ...options };
    for (const zone of zones) this.stats.set(zone.name, { visits: 0, dwells: [], personSeconds: 0 });
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

  /** Per zone: people in it now, visits ended or begun, dwell of finished visits, person-seconds. */
  statistics(): Record<
    string,
    {
      occupancy: number;
      visits: number;
      meanDwellSeconds: number | null;
      medianDwellSeconds: number | null;
      personSeconds: number;
    }
  > {
    const result: ReturnType<ZoneMonitor['statistics']> = {};
    for (const [name, s] of this.stats) {
      const sorted = [...s.dwells].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      result[name] = {
        occupancy: [...this.people].filter(([key, p]) => p.inside && key.startsWith(`${name}\u0000`)).length,
        visits: s.visits,
        meanDwellSeconds: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null,
        medianDwellSeconds: sorted.length
          ? sorted.length % 2
            ? sorted[mid]
            : (sorted[mid - 1] + sorted[mid]) / 2
          : null,
        personSeconds: s.personSeconds,
      };
    }
    return result;
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
    stats.dwells.push(dwellSeconds);
    person.since = at;
    return { zone, event: 'exit', trackId, at, dwellSeconds };
  }
}
