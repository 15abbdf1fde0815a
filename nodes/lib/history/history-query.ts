import {
  localDate,
  localIso,
  minuteStart,
  nextStep,
  parseLocalDate,
  Step,
  STEPS,
  stepStart,
} from '../time/local-time';
import type { HistoryDb, StoredMinute } from './history-db';

/** A checked history query: cameras, a range [from, to) in ms, and the step. */
export interface HistoryQuery {
  cameras: string[];
  from: number;
  to: number;
  step: Step;
}

/** A refused query: the HTTP status and what to tell the caller. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** Minute rows are many: a minute query covers at most this many camera-days (hours and days: no limit). */
export const MAX_MINUTE_DAYS = 31;

const DAY_MS = 86_400_000;

/**
 * Reads `camera`, `from`, `to` (YYYY-MM-DD, local days, both included; default today) or `date` (one
 * day: from and to) and `step` (minute, hour or day; default hour) from a request's query, against the
 * cameras history knows. A range reaching before the retention gives what exists.
 */
export function parseHistoryQuery(
  query: Record<string, unknown>,
  knownCameras: readonly string[],
  now = Date.now(),
): HistoryQuery {
  const text = (key: string): string | undefined => {
    const v = query[key];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new QueryError(`${key} is given twice: give it once`);
    return v.trim();
  };
  const step = (text('step') ?? 'hour') as Step;
  if (!STEPS.includes(step)) throw new QueryError(`step must be minute, hour or day, not "${text('step')}"`);
  const day = (key: 'from' | 'to' | 'date'): number | undefined => {
    const v = text(key);
    if (v === undefined) return undefined;
    const at = parseLocalDate(v);
    if (at === null) throw new QueryError(`${key} must be a date as YYYY-MM-DD, not "${v}"`);
    return at;
  };
  const today = parseLocalDate(localDate(now))!;
  const date = day('date');
  if (date !== undefined && (text('from') !== undefined || text('to') !== undefined)) {
    throw new QueryError('give either date (one day) or from and to, not both');
  }
  const fromDay = date ?? day('from') ?? day('to') ?? today;
  const toDay = date ?? day('to') ?? Math.max(fromDay, today);
  if (toDay < fromDay) throw new QueryError(`from (${text('from')}) is after to (${text('to')})`);
  const to = nextStep(toDay, 'day');
  const asked = (text('camera') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const unknown = asked.filter((c) => !knownCameras.includes(c));
  if (unknown.length > 0) {
    throw new QueryError(
      `no history of camera ${unknown.join(', ')}` +
        (knownCameras.length ? `; history has ${knownCameras.join(', ')}` : '; history has no camera yet'),
    );
  }
  const cameras = asked.length ? [...new Set(asked)] : [...knownCameras];
  // Minute rows are many: one answer holds at most MAX_MINUTE_DAYS camera-days of them (a month of
  // one camera, a few days of eight), so that one request cannot hold up the cameras for seconds.
  const days = Math.round((to - fromDay) / DAY_MS);
  if (step === 'minute' && days * Math.max(1, cameras.length) > MAX_MINUTE_DAYS) {
    throw new QueryError(
      `step=minute gives at most ${MAX_MINUTE_DAYS} camera-days (${days} days x ${cameras.length} cameras asked): ask for fewer days or cameras, or for hours`,
    );
  }
  return { cameras, from: fromDay, to, step };
}

/** One step of one camera, as /history gives it; null where no data came (missing, never zero). */
export interface HistoryRow {
  /** The step's start, ISO local time with offset. */
  time: string;
  camera: string;
  /** Seconds of the step so far that frames came in, and that none came (a camera gap). */
  coveredSeconds: number;
  gapSeconds: number;
  peopleMean: number | null;
  peopleMax: number | null;
  visitors: number | null;
  activitySeconds: number | null;
  footfallIn: number | null;
  footfallOut: number | null;
  lines: Record<string, { in: number; out: number }>;
  zones: Record<
    string,
    {
      /** null: the step's rows hold no covered time (a lone frame after a gap). */
      occupancyMean: number | null;
      occupancyMax: number;
      visits: number;
      /** Visits that ended in the step, and their mean dwell. */
      dwells: number;
      dwellMeanSeconds: number | null;
    }
  >;
}

export interface HistoryAnswer {
  /** The machine's time zone: the local days and hours the steps are cut in. */
  timeZone: string;
  step: Step;
  from: string;
  to: string;
  cameras: string[];
  /** Every line and zone name in the rows (the CSV's columns). */
  lines: string[];
  zones: string[];
  rows: HistoryRow[];
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Sums of the minutes of one step. */
class StepSum {
  minutes = 0;
  covered = 0;
  people = 0;
  peopleMax = 0;
  visitors = 0;
  activity: number | null = null;
  lines: Record<string, { in: number; out: number }> = {};
  zones: Record<string, { occ: number; max: number; visits: number; dwells: number; dwell: number }> = {};

  add(m: StoredMinute): void {
    this.minutes++;
    this.covered += m.coveredSeconds;
    this.people += m.peopleSeconds;
    this.peopleMax = Math.max(this.peopleMax, m.peopleMax);
    this.visitors += m.visitors;
    if (m.activitySeconds !== null) this.activity = (this.activity ?? 0) + m.activitySeconds;
    for (const [name, l] of Object.entries(m.lines)) {
      const s = (this.lines[name] ??= { in: 0, out: 0 });
      s.in += l.in;
      s.out += l.out;
    }
    for (const [name, z] of Object.entries(m.zones)) {
      const s = (this.zones[name] ??= { occ: 0, max: 0, visits: 0, dwells: 0, dwell: 0 });
      s.occ += z.occupancySeconds;
      s.max = Math.max(s.max, z.occupancyMax);
      s.visits += z.visits;
      s.dwells += z.dwells;
      s.dwell += z.dwellSeconds;
    }
  }

  row(camera: string, start: number, seconds: number): HistoryRow {
    const covered = Math.min(seconds, this.covered);
    const base = {
      time: localIso(start),
      camera,
      coveredSeconds: round(covered, 1),
      gapSeconds: round(seconds - covered, 1),
    };
    if (this.minutes === 0) {
      return {
        ...base,
        peopleMean: null,
        peopleMax: null,
        visitors: null,
        activitySeconds: null,
        footfallIn: null,
        footfallOut: null,
        lines: {},
        zones: {},
      };
    }
    const lines = Object.values(this.lines);
    const zones: HistoryRow['zones'] = {};
    for (const [name, z] of Object.entries(this.zones)) {
      zones[name] = {
        occupancyMean: this.covered > 0 ? round(z.occ / this.covered, 3) : null,
        occupancyMax: z.max,
        visits: z.visits,
        dwells: z.dwells,
        dwellMeanSeconds: z.dwells > 0 ? round(z.dwell / z.dwells, 1) : null,
      };
    }
    return {
      ...base,
      // No covered time (a lone frame after a gap): how many were in view is not known, not 0.
      peopleMean: this.covered > 0 ? round(this.people / this.covered, 3) : null,
      peopleMax: this.peopleMax,
      visitors: this.visitors,
      activitySeconds: this.activity === null ? null : round(this.activity, 1),
      footfallIn: lines.length ? lines.reduce((t, l) => t + l.in, 0) : null,
      footfallOut: lines.length ? lines.reduce((t, l) => t + l.out, 0) : null,
      lines: this.lines,
      zones,
    };
  }
}

/**
 * The rows of a query: one per step and camera, from the step of the camera's first minute (or the
 * range's start) up to the last finished minute. Steps are cut in local time; a step no minute reached
 * is all missing. A minute that is not over, or whose row has not been written yet (`unfinished`:
 * per camera, the first minute history still holds in memory), is neither covered nor a gap: it is
 * left out, of the minute rows and of the hour and day rows around it, until it is written.
 */
export function queryHistory(
  db: HistoryDb,
  q: HistoryQuery,
  now = Date.now(),
  unfinished: ReadonlyMap<string, number> = new Map(),
): HistoryAnswer {
  const known = new Map(db.cameras().map((c) => [c.cameraId, c]));
  const rows: Array<{ start: number; row: HistoryRow }> = [];
  const lineNames = new Set<string>();
  const zoneNames = new Set<string>();
  for (const camera of q.cameras) {
    const info = known.get(camera);
    if (!info) continue;
    const end = Math.min(q.to, minuteStart(now), unfinished.get(camera) ?? Infinity);
    let start = stepStart(Math.max(q.from, info.firstMinute), q.step);
    if (start < q.from) start = q.from;
    if (start >= end) continue;
    // Hours and days start on a quarter hour in every time zone: their sums are read by quarter.
    const minutes = db.minutes(camera, start, end, q.step === 'minute' ? 'minute' : 'quarter');
    let next = minutes.next();
    while (start < end) {
      const stop = nextStep(start, q.step);
      const sum = new StepSum();
      while (!next.done && next.value.minute < stop) {
        sum.add(next.value);
        next = minutes.next();
      }
      const row = sum.row(camera, start, (Math.min(stop, end) - start) / 1000);
      for (const name of Object.keys(row.lines)) lineNames.add(name);
      for (const name of Object.keys(row.zones)) zoneNames.add(name);
      rows.push({ start, row });
      start = stop;
    }
  }
  // Time first, then camera: a spreadsheet reads the store hour by hour.
  rows.sort((a, b) => a.start - b.start || a.row.camera.localeCompare(b.row.camera));
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    step: q.step,
    from: localDate(q.from),
    to: localDate(q.to - 1),
    cameras: q.cameras,
    lines: [...lineNames].sort(),
    zones: [...zoneNames].sort(),
    rows: rows.map((r) => r.row),
  };
}
