/**
 * One camera's minute as history keeps it. Every number is a sum (or a maximum) over the minute, so
 * two parts of one minute (written before a redeploy and after it) add up to the whole; means are
 * derived when read: people in view = peopleSeconds / coveredSeconds.
 */
export interface LineMinute {
  in: number;
  out: number;
}

export interface ZoneMinute {
  /** Person-seconds inside the zone; over coveredSeconds, the mean occupancy. */
  occupancySeconds: number;
  occupancyMax: number;
  /** Entries into the zone. */
  visits: number;
  /** Visits that ended, and their summed length. */
  dwells: number;
  dwellSeconds: number;
}

export interface MinuteRow {
  cameraId: string;
  /** ms since epoch: the minute's start. */
  minute: number;
  /** Seconds of the minute that frames came in; the rest of the 60 is a camera gap. */
  coveredSeconds: number;
  /** Person-seconds in view (the integral of the people count over time). */
  peopleSeconds: number;
  peopleMax: number;
  /** New visitors (unique tracked people) counted in this minute. */
  visitors: number;
  /** Person-seconds of heat added in this minute (the heatmap's activity). */
  activitySeconds: number;
  lines: Record<string, LineMinute>;
  zones: Record<string, ZoneMinute>;
  /**
   * The other nodes' running totals as they stood at the end of this minute (see MinuteRecorder):
   * written with the row, so after a crash history takes up exactly where its last write ended.
   */
  cursors: Record<string, Cursor>;
}

/**
 * The last total seen of one counter and the period it counts in (a day, or the heatmap's
 * accumulation): a total of another period counts whole; in the same period, only what it grew.
 */
export interface Cursor {
  period: string;
  value: number;
}

export const emptyMinute = (cameraId: string, minute: number): MinuteRow => ({
  cameraId,
  minute,
  coveredSeconds: 0,
  peopleSeconds: 0,
  peopleMax: 0,
  visitors: 0,
  activitySeconds: 0,
  lines: {},
  zones: {},
  cursors: {},
});

export const emptyZoneMinute = (): ZoneMinute => ({
  occupancySeconds: 0,
  occupancyMax: 0,
  visits: 0,
  dwells: 0,
  dwellSeconds: 0,
});

/** Adds `b` into `a` (the same camera and minute): sums add, maxima take the larger. */
export function addMinute(a: MinuteRow, b: MinuteRow): MinuteRow {
  a.coveredSeconds += b.coveredSeconds;
  a.peopleSeconds += b.peopleSeconds;
  a.peopleMax = Math.max(a.peopleMax, b.peopleMax);
  a.visitors += b.visitors;
  a.activitySeconds += b.activitySeconds;
  for (const [name, l] of Object.entries(b.lines)) {
    const into = (a.lines[name] ??= { in: 0, out: 0 });
    into.in += l.in;
    into.out += l.out;
  }
  for (const [name, z] of Object.entries(b.zones)) {
    const into = (a.zones[name] ??= emptyZoneMinute());
    into.occupancySeconds += z.occupancySeconds;
    into.occupancyMax = Math.max(into.occupancyMax, z.occupancyMax);
    into.visits += z.visits;
    into.dwells += z.dwells;
    into.dwellSeconds += z.dwellSeconds;
  }
  Object.assign(a.cursors, b.cursors);
  return a;
}

/** A minute as read back (the sums of MinuteRow, by camera name). */
export type StoredMinute = Omit<MinuteRow, 'cursors' | 'activitySeconds'> & {
  activitySeconds: number | null;
};
