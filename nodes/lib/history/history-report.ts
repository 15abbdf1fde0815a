import { dayStart, localDate, nextStep, parseLocalDate } from '../time/local-time';
import type { HistoryDb } from './history-db';
import { HistoryRow, queryHistory, QueryError } from './history-query';

/** How many days the report looks back over (the day totals, the busiest hours, zone dwell). */
export const REPORT_DAYS = 30;

/** Visitors and footfall of a step, summed over the report's cameras; null where none had data. */
export interface ReportCounts {
  visitors: number | null;
  footfallIn: number | null;
  footfallOut: number | null;
}

export interface HistoryReport {
  /** The cameras summed (all, or the one asked for). */
  cameras: string[];
  /** Whether any camera counts a line (else footfall is null throughout). */
  hasFootfall: boolean;
  /** The day reported (YYYY-MM-DD) and the same weekday a week before. */
  date: string;
  compareDate: string;
  /** 24 hours of the local clock (a 25-hour day folds its repeated hour in, a 23-hour one has a null). */
  hours: Array<{ hour: number; today: ReportCounts; compare: ReportCounts }>;
  /** The last REPORT_DAYS days, oldest first, with seconds of camera gap (missing data). */
  days: Array<ReportCounts & { date: string; gapSeconds: number }>;
  /** Hours of the day by mean visitors over the days that had data in them, busiest first. */
  busiestHours: Array<{ hour: number; visitorsMean: number; footfallInMean: number | null; days: number }>;
  /** Mean dwell per zone per day (null: no visit ended that day). */
  zones: string[];
  zoneDwell: Array<{ date: string; dwellMeanSeconds: Record<string, number | null> }>;
}

const empty = (): ReportCounts => ({ visitors: null, footfallIn: null, footfallOut: null });

function addCounts(to: ReportCounts, row: HistoryRow): void {
  if (row.visitors !== null) to.visitors = (to.visitors ?? 0) + row.visitors;
  if (row.footfallIn !== null) to.footfallIn = (to.footfallIn ?? 0) + row.footfallIn;
  if (row.footfallOut !== null) to.footfallOut = (to.footfallOut ?? 0) + row.footfallOut;
}

/** The local hour (0-23) of a row's ISO local time. */
const hourOf = (time: string) => Number(time.slice(11, 13));

/**
 * What the History dashboard shows, from the database: `date` (default today) hour by hour against
 * the same weekday a week before, the last 30 days' totals, the busiest hours of the day over them,
 * and each zone's mean dwell by day. Over every camera, or `camera` alone.
 */
export function historyReport(
  db: HistoryDb,
  options: { camera?: string; date?: string } = {},
  now = Date.now(),
  unfinished: ReadonlyMap<string, number> = new Map(),
): HistoryReport {
  const known = db.cameras().map((c) => c.cameraId);
  if (options.camera !== undefined && options.camera !== '' && !known.includes(options.camera)) {
    throw new QueryError(`no history of camera ${options.camera}; history has ${known.join(', ') || 'none'}`);
  }
  const cameras = options.camera ? [options.camera] : known;
  const day = options.date === undefined ? dayStart(now) : parseLocalDate(options.date);
  if (day === null) throw new QueryError(`date must be a date as YYYY-MM-DD, not "${options.date}"`);
  const d = new Date(day);
  const localDay = (offset: number) =>
    new Date(d.getFullYear(), d.getMonth(), d.getDate() + offset).getTime();
  const compare = localDay(-7);
  const first = Math.min(compare, localDay(1 - REPORT_DAYS));
  const end = nextStep(day, 'day');
  // One read, by the hour: the days' totals are their hours' sums.
  const hourRows = queryHistory(db, { cameras, from: first, to: end, step: 'hour' }, now, unfinished);

  const date = localDate(day);
  const compareDate = localDate(compare);
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, today: empty(), compare: empty() }));
  /** Per hour of the day: per date, the summed counts (for the busiest hours). */
  const byHour = Array.from({ length: 24 }, () => new Map<string, ReportCounts>());
  const firstReportDay = localDate(localDay(1 - REPORT_DAYS));
  for (const row of hourRows.rows) {
    const rowDate = row.time.slice(0, 10);
    const hour = hourOf(row.time);
    if (rowDate === date) addCounts(hours[hour].today, row);
    if (rowDate === compareDate) addCounts(hours[hour].compare, row);
    if (rowDate >= firstReportDay && row.visitors !== null) {
      const counts = byHour[hour].get(rowDate) ?? empty();
      addCounts(counts, row);
      byHour[hour].set(rowDate, counts);
    }
  }
  const busiestHours = byHour
    .map((dates, hour) => {
      const values = [...dates.values()];
      const footfall = values.filter((v) => v.footfallIn !== null);
      return {
        hour,
        days: values.length,
        visitorsMean: values.length ? values.reduce((t, v) => t + (v.visitors ?? 0), 0) / values.length : 0,
        footfallInMean: footfall.length
          ? footfall.reduce((t, v) => t + v.footfallIn!, 0) / footfall.length
          : null,
      };
    })
    .filter((h) => h.days > 0)
    .sort((a, b) => b.visitorsMean - a.visitorsMean || a.hour - b.hour)
    .map((h) => ({
      ...h,
      visitorsMean: Math.round(h.visitorsMean * 10) / 10,
      footfallInMean: h.footfallInMean === null ? null : Math.round(h.footfallInMean * 10) / 10,
    }));

  const days = new Map<string, ReportCounts & { date: string; gapSeconds: number }>();
  const dwell = new Map<string, Record<string, { dwells: number; seconds: number }>>();
  for (let i = 1 - REPORT_DAYS; i <= 0; i++) {
    const at = localDate(localDay(i));
    days.set(at, { date: at, ...empty(), gapSeconds: 0 });
    dwell.set(at, {});
  }
  for (const row of hourRows.rows) {
    const at = row.time.slice(0, 10);
    const total = days.get(at);
    if (!total) continue;
    addCounts(total, row);
    total.gapSeconds += row.gapSeconds;
    const zones = dwell.get(at)!;
    for (const [name, z] of Object.entries(row.zones)) {
      const sum = (zones[name] ??= { dwells: 0, seconds: 0 });
      sum.dwells += z.dwells;
      sum.seconds += (z.dwellMeanSeconds ?? 0) * z.dwells;
    }
  }
  const zones = hourRows.zones;
  return {
    cameras,
    hasFootfall: hourRows.lines.length > 0,
    date,
    compareDate,
    hours,
    days: [...days.values()],
    busiestHours,
    zones,
    zoneDwell: [...dwell.entries()].map(([at, z]) => ({
      date: at,
      dwellMeanSeconds: Object.fromEntries(
        zones.map((name) => [
          name,
          z[name] && z[name].dwells > 0 ? Math.round((z[name].seconds / z[name].dwells) * 10) / 10 : null,
        ]),
      ),
    })),
  };
}
