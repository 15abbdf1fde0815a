import { HeatGrid } from '../heatmap/heat-grid';
import { renderHeatOverPng } from '../heatmap/overlay';
import { HOUR_MS, localDate, nextStep, parseLocalDate } from '../time/local-time';
import type { HistoryDb } from './history-db';
import { QueryError } from './history-query';

/** The heat a camera's hour grids add up to in [from, to) (ms), or null when none was written. */
export function heatOfPeriod(db: HistoryDb, cameraId: string, from: number, to: number): HeatGrid | null {
  let grid: HeatGrid | null = null;
  for (const h of db.heatHours(cameraId, from, to)) {
    const shape = { sourceWidth: h.width, sourceHeight: h.height, cellSize: h.cellSize };
    // A camera whose picture changed size: the latest grid's shape wins, older hours are left out.
    if (!grid || grid.cols !== h.cols || grid.rows !== h.rows || grid.cellSize !== h.cellSize) {
      grid = new HeatGrid(shape);
    }
    grid.addGrid(new HeatGrid(shape, h.cells));
  }
  return grid;
}

/** [from, to) of `date` (YYYY-MM-DD) and an hour or hour range "9" or "9-17" (both included). */
function period(date: string, hours: string | undefined, key: string): [number, number] {
  const day = parseLocalDate(date);
  if (day === null) throw new QueryError(`${key} must be a date as YYYY-MM-DD, not "${date}"`);
  const end = nextStep(day, 'day');
  if (hours === undefined || hours === '') return [day, end];
  const m = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(hours);
  const first = m ? Number(m[1]) : NaN;
  const last = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(first >= 0 && last <= 23 && first <= last)) {
    throw new QueryError(`hour must be an hour 0-23 or a range such as 9-17, not "${hours}"`);
  }
  // Hours of the local clock: on a day with a clock change, counted from midnight in real hours
  // would be off by one after 02:00, so each end is looked up as a local time.
  const at = (h: number) => {
    const d = new Date(day);
    return h === 24 ? end : new Date(d.getFullYear(), d.getMonth(), d.getDate(), h).getTime();
  };
  return [at(first), Math.min(end, Math.max(at(last + 1), at(first) + HOUR_MS))];
}

/** The longest period one /heatmap.png adds up. */
export const MAX_HEAT_DAYS = 62;

const text = (q: Record<string, unknown>, key: string): string | undefined => {
  const v = q[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new QueryError(`${key} is given twice: give it once`);
  return v.trim();
};

/**
 * /heatmap.png: a camera's heat of a day (`date`, default today; or `from`-`to` days) and hours
 * (`hour`=9 or 9-17), drawn over the camera's person-free background; with `compare`=another day,
 * the difference of the two (same hours) in a diverging map.
 */
export async function renderHistoryHeat(
  db: HistoryDb,
  query: Record<string, unknown>,
  cameras: readonly string[],
  now = Date.now(),
): Promise<Buffer> {
  const camera = text(query, 'camera') ?? (cameras.length === 1 ? cameras[0] : undefined);
  if (camera === undefined) {
    throw new QueryError(
      cameras.length ? `name a camera: camera=${cameras.join(' or ')}` : 'history has no camera yet',
    );
  }
  if (!cameras.includes(camera)) {
    throw new QueryError(
      `no history of camera ${camera}${cameras.length ? `; history has ${cameras.join(', ')}` : ''}`,
    );
  }
  const hours = text(query, 'hour');
  let from: number;
  let to: number;
  const fromDate = text(query, 'from');
  if (fromDate !== undefined) {
    [from] = period(fromDate, undefined, 'from');
    [, to] = period(text(query, 'to') ?? fromDate, undefined, 'to');
    if (to <= from) throw new QueryError('from is after to');
    // Each hour's grid is read and added: a bound keeps one picture from holding up the cameras.
    if (to - from > MAX_HEAT_DAYS * 86_400_000 + 7_200_000)
      throw new QueryError(`a heat picture covers at most ${MAX_HEAT_DAYS} days`);
  } else {
    [from, to] = period(text(query, 'date') ?? localDate(now), hours, 'date');
  }
  const grid = heatOfPeriod(db, camera, from, to);
  const compareDate = text(query, 'compare');
  let minus: HeatGrid | undefined;
  if (compareDate !== undefined) {
    const [cFrom, cTo] = period(compareDate, fromDate === undefined ? hours : undefined, 'compare');
    const other = heatOfPeriod(db, camera, cFrom, cTo);
    if (other && grid && (other.cols !== grid.cols || other.rows !== grid.rows)) {
      throw new QueryError('the two days have heat on grids of another size (the camera picture changed)');
    }
    minus = other ?? undefined;
  }
  const shape = grid ?? minus;
  if (!shape) throw new QueryError(`no heat of camera ${camera} in that period`, 404);
  const background = db.background(camera);
  return renderHeatOverPng(grid ?? new HeatGrid(shape), background, {
    minus: compareDate !== undefined ? (minus ?? new HeatGrid(shape)) : undefined,
  });
}
