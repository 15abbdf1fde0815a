import type { ClientBase } from 'pg';
import { csvLine } from '../history/history-csv';
import { QueryError } from '../history/history-query';
import { dayStart, localDate, localIso, parseLocalDate } from '../time/local-time';

const DAY_MS = 86_400_000;

export interface StoreToday {
  store: string;
  online: boolean;
  /** When head office last heard from it (ISO); null if never. */
  lastSeen: string | null;
  cameras: number;
  /**
   * People in today so far: the in-crossings of its lines, or, for a store without lines, its
   * visitors (unique tracked people). null: no minute today.
   */
  footfall: number | null;
  /** The same, on the same weekday a week ago up to the same time of day. */
  lastWeek: number | null;
  /** footfall / lastWeek - 1; null without both. */
  change: number | null;
  /** Minutes of today received (per camera summed): a store behind shows fewer. */
  minutes: number;
}

export interface ChainReport {
  date: string;
  at: string;
  online: number;
  stores: StoreToday[];
  /** The best and worst three against last week (stores with both days only). */
  top: StoreToday[];
  bottom: StoreToday[];
}

/** The chain dashboard's numbers: every store's footfall today against the same day last week. */
export async function chainReport(db: ClientBase, now = Date.now()): Promise<ChainReport> {
  const today = dayStart(now);
  const weekAgo = dayStart(now - 7 * DAY_MS);
  const weekAgoEnd = weekAgo + (now - today);
  const { rows } = await db.query(
    `SELECT s.store, s.online, s.last_seen, m.cameras, m.minutes, m.in_today, m.visitors_today,
       m.in_week, m.visitors_week, m.lines_today, m.lines_week
     FROM sa_stores s LEFT JOIN (
       SELECT store,
         count(DISTINCT camera) FILTER (WHERE minute >= $1) AS cameras,
         count(*) FILTER (WHERE minute >= $1) AS minutes,
         sum(footfall_in) FILTER (WHERE minute >= $1) AS in_today,
         sum(visitors) FILTER (WHERE minute >= $1) AS visitors_today,
         count(footfall_in) FILTER (WHERE minute >= $1) AS lines_today,
         sum(footfall_in) FILTER (WHERE minute < $3) AS in_week,
         sum(visitors) FILTER (WHERE minute < $3) AS visitors_week,
         count(footfall_in) FILTER (WHERE minute < $3) AS lines_week
       FROM sa_minutes
       WHERE (minute >= $1 AND minute < $4) OR (minute >= $2 AND minute < $3)
       GROUP BY store) m ON m.store = s.store
     ORDER BY s.store`,
    [new Date(today), new Date(weekAgo), new Date(weekAgoEnd), new Date(now + 60_000)],
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const stores: StoreToday[] = rows.map((r) => {
    const footfall = Number(r.lines_today) > 0 ? n(r.in_today) : n(r.visitors_today);
    const lastWeek = Number(r.lines_week) > 0 ? n(r.in_week) : n(r.visitors_week);
    return {
      store: r.store,
      online: r.online,
      lastSeen: r.last_seen ? localIso((r.last_seen as Date).getTime()) : null,
      cameras: Number(r.cameras ?? 0),
      footfall,
      lastWeek,
      change: footfall !== null && lastWeek ? Math.round((footfall / lastWeek - 1) * 1000) / 1000 : null,
      minutes: Number(r.minutes ?? 0),
    };
  });
  const ranked = stores.filter((s) => s.change !== null).sort((a, b) => b.change! - a.change!);
  return {
    date: localDate(now),
    at: localIso(now),
    online: stores.filter((s) => s.online).length,
    stores,
    top: ranked.slice(0, 3),
    bottom: ranked.slice(-3).reverse(),
  };
}

/** A day of every store's cameras by hour (or the whole day), as CSV for a spreadsheet. */
export async function chainCsv(
  db: ClientBase,
  query: { date?: unknown; step?: unknown },
  now = Date.now(),
): Promise<{ csv: string; date: string; step: string }> {
  const date = typeof query.date === 'string' && query.date !== '' ? query.date : localDate(now);
  const from = parseLocalDate(date);
  if (from === null) throw new QueryError(`date must be YYYY-MM-DD, not "${date}"`);
  const step = query.step === undefined || query.step === '' ? 'hour' : String(query.step);
  if (step !== 'hour' && step !== 'day') throw new QueryError(`step must be hour or day, not "${step}"`);
  const to = dayStart(from + DAY_MS + 3 * 3_600_000);
  const stepMs = step === 'hour' ? 3_600_000 : to - from;
  const { rows } = await db.query(
    `SELECT store, camera, floor(extract(epoch FROM minute - $1::timestamptz) * 1000 / $3)::int AS bucket,
       sum(covered_s) AS covered_s, sum(people_s) AS people_s, max(people_max) AS people_max,
       sum(visitors) AS visitors, sum(footfall_in) AS footfall_in, sum(footfall_out) AS footfall_out
     FROM sa_minutes WHERE minute >= $1 AND minute < $2
     GROUP BY store, camera, bucket ORDER BY store, camera, bucket`,
    [new Date(from), new Date(to), stepMs],
  );
  const lines = [
    csvLine([
      'store',
      'camera',
      'start',
      'covered_s',
      'people_mean',
      'people_max',
      'visitors',
      'footfall_in',
      'footfall_out',
    ]),
  ];
  for (const r of rows) {
    const covered = Number(r.covered_s);
    lines.push(
      csvLine([
        r.store,
        r.camera,
        localIso(from + Number(r.bucket) * stepMs),
        Math.round(covered),
        covered > 0 ? Math.round((Number(r.people_s) / covered) * 100) / 100 : '',
        r.people_max,
        r.visitors,
        r.footfall_in ?? '',
        r.footfall_out ?? '',
      ]),
    );
  }
  return { csv: lines.join(''), date, step };
}
