/**
 * npm run bench:history: what a year of history costs. Writes a year of synthetic minute rows for
 * 8 cameras (every minute of every day, as a box that never stops: a door line and two zones per
 * camera, people by a store's day curve, nobody at night) and each camera's hourly heat grid (the
 * clip's 768x576 at the default 8 px cells) into a history database made as the node makes it,
 * then prints its size and the time of the queries the endpoints and the History tab make:
 *
 *   - /history?step=hour for the last 30 days, every camera (and its CSV);
 *   - /history?step=day for the year;
 *   - /history?step=minute for one day;
 *   - the History tab's report (today, the same day last week, 30 days, busiest hours, zones);
 *   - /heatmap.png's read of a day's hour grids;
 *   - the daily retention prune;
 *   - one minute's write of every camera, as the node does it once a minute.
 *
 * Times are medians of --runs runs on this machine; the sizes do not depend on it.
 *
 *   npm run bench:history [-- --cameras 8] [-- --days 365] [-- --runs 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HistoryDb, type HourHeat } from '../nodes/lib/history/history-db';
import { historyCsv } from '../nodes/lib/history/history-csv';
import { queryHistory } from '../nodes/lib/history/history-query';
import { historyReport } from '../nodes/lib/history/history-report';
import type { MinuteRow } from '../nodes/lib/history/minute-row';
import { localDate, MINUTE_MS, parseLocalDate } from '../nodes/lib/time/local-time';
import { median } from '../support/measure/samples';

const { values: args } = parseArgs({
  options: {
    cameras: { type: 'string', default: '8' },
    days: { type: 'string', default: '365' },
    runs: { type: 'string', default: '5' },
  },
});
const CAMERAS = Number(args.cameras);
const DAYS = Number(args.days);
const RUNS = Number(args.runs);
const [WIDTH, HEIGHT, CELL] = [768, 576, 8];
const [COLS, ROWS] = [WIDTH / CELL, HEIGHT / CELL];

/** A small seeded generator, so two runs write the same rows. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = random(16);

/** People in view by the local hour: closed at night, a midday and an evening peak. */
function crowd(hour: number): number {
  if (hour < 8 || hour >= 21) return 0;
  return 1.5 + 2.5 * Math.exp(-((hour - 12.5) ** 2) / 3) + 3 * Math.exp(-((hour - 17.5) ** 2) / 2);
}

function minuteRow(cameraId: string, minute: number, hour: number): MinuteRow {
  const people = crowd(hour) * (0.6 + 0.8 * rand());
  const busy = people > 0;
  const visitors = busy ? Math.round(people * rand() * 0.8) : 0;
  return {
    cameraId,
    minute,
    coveredSeconds: 60,
    peopleSeconds: Math.round(people * 60 * 10) / 10,
    peopleMax: Math.ceil(people),
    visitors,
    activitySeconds: Math.round(people * 60 * 10) / 10,
    lines: {
      door: { in: busy ? Math.round(visitors * rand()) : 0, out: busy ? Math.round(visitors * rand()) : 0 },
    },
    zones: {
      till: {
        occupancySeconds: Math.round(people * 12 * rand()),
        occupancyMax: busy ? 1 : 0,
        visits: busy ? Math.round(rand() * 2) : 0,
        dwells: busy ? Math.round(rand() * 2) : 0,
        dwellSeconds: busy ? Math.round(rand() * 90) : 0,
      },
      display: {
        occupancySeconds: Math.round(people * 20 * rand()),
        occupancyMax: busy ? 2 : 0,
        visits: busy ? Math.round(rand() * 3) : 0,
        dwells: busy ? Math.round(rand() * 3) : 0,
        dwellSeconds: busy ? Math.round(rand() * 120) : 0,
      },
    },
    cursors: { visitors: { period: localDate(minute), value: visitors } },
  };
}

/** An hour's heat: person-seconds along a few walking paths (float32 values, as accumulated). */
function hourHeat(cameraId: string, hour: number, startedAt: number, localHour: number): HourHeat {
  const cells = new Float32Array(COLS * ROWS);
  const people = crowd(localHour);
  if (people > 0) {
    for (let blob = 0; blob < 6; blob++) {
      const [cx, cy, r] = [rand() * COLS, rand() * ROWS, 3 + rand() * 6];
      const weight = people * 60 * (0.5 + rand());
      for (let y = Math.max(0, Math.floor(cy - 3 * r)); y < Math.min(ROWS, cy + 3 * r); y++)
        for (let x = Math.max(0, Math.floor(cx - 3 * r)); x < Math.min(COLS, cx + 3 * r); x++)
          cells[y * COLS + x] += weight * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
    }
  }
  return {
    cameraId,
    hour,
    startedAt,
    cols: COLS,
    rows: ROWS,
    cellSize: CELL,
    width: WIDTH,
    height: HEIGHT,
    cells,
  };
}

function timed(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return Math.round(median(times) * 10) / 10;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'history-bench-'));
const file = path.join(dir, 'history.sqlite');
try {
  const today = parseLocalDate(localDate(Date.now()))!;
  const firstDay = today - (DAYS - 1) * 86_400_000;
  const cameras = Array.from({ length: CAMERAS }, (_, i) => `camera-${i + 1}`);
  const db = new HistoryDb(file, firstDay);
  const t0 = Date.now();
  let minutesWritten = 0;
  // One write per local day (the node writes one per minute: the rows are the same).
  for (let day = firstDay; day <= today; day = parseLocalDate(localDate(day + 36 * 3_600_000))!) {
    const next = parseLocalDate(localDate(day + 36 * 3_600_000))!;
    const minutes: MinuteRow[] = [];
    const heat: HourHeat[] = [];
    for (let m = day; m < next; m += MINUTE_MS) {
      const hour = new Date(m).getHours();
      for (const c of cameras) minutes.push(minuteRow(c, m, hour));
      if ((m - day) % 3_600_000 === 0) for (const c of cameras) heat.push(hourHeat(c, m, day, hour));
    }
    db.write({ minutes, heat }, next);
    minutesWritten += minutes.length;
  }
  db.db.pragma('wal_checkpoint(TRUNCATE)');
  const fillSeconds = (Date.now() - t0) / 1000;
  const bytes = db.sizeBytes();
  const tables = Object.fromEntries(
    ['minutes', 'line_minutes', 'zone_minutes', 'heat_hours'].map((t) => [
      t,
      (db.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
    ]),
  );
  const heatBytes = (db.db.prepare('SELECT sum(length(cells)) AS b FROM heat_hours').get() as { b: number })
    .b;

  const now = today + 12 * 3_600_000;
  const all = cameras;
  const hour30 = {
    cameras: all,
    from: today - 29 * 86_400_000,
    to: today + 86_400_000,
    step: 'hour' as const,
  };
  let hourRows = 0;
  const queryHour30 = timed(() => (hourRows = queryHistory(db, hour30, now).rows.length));
  const csvHour30 = timed(() => historyCsv(queryHistory(db, hour30, now)));
  const queryHour30One = timed(() => queryHistory(db, { ...hour30, cameras: [cameras[0]] }, now));
  const queryDayYear = timed(() =>
    queryHistory(db, { cameras: all, from: firstDay, to: today + 86_400_000, step: 'day' }, now),
  );
  const queryMinuteDay = timed(() =>
    queryHistory(db, { cameras: all, from: today - 86_400_000, to: today, step: 'minute' }, now),
  );
  const report = timed(() => historyReport(db, {}, now));
  const heatDay = timed(() => db.heatHours(cameras[0], today - 86_400_000, today));
  const writeMinute = timed(() => db.write({ minutes: cameras.map((c) => minuteRow(c, now, 12)) }, now));
  const prune = timed(() => db.prune(DAYS, now));
  db.close();

  const mb = (b: number) => Math.round((b / 1e6) * 10) / 10;
  const perCameraYear = (bytes / CAMERAS) * (365 / DAYS);
  console.log(
    `history database: ${CAMERAS} cameras x ${DAYS} days, every minute (filled in ${fillSeconds.toFixed(0)} s)`,
  );
  console.log(
    `  rows: ${Object.entries(tables)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `  size: ${mb(bytes)} MB, ${mb(perCameraYear)} MB per camera per year (heat grids ${mb(heatBytes)} MB of it)`,
  );
  console.log(`median of ${RUNS} runs, ms:`);
  console.log(
    `  /history step=hour, 30 days, ${CAMERAS} cameras (${hourRows} rows): ${queryHour30}; as CSV: ${csvHour30}`,
  );
  console.log(`  /history step=hour, 30 days, 1 camera: ${queryHour30One}`);
  console.log(`  /history step=day, ${DAYS} days, ${CAMERAS} cameras: ${queryDayYear}`);
  console.log(`  /history step=minute, 1 day, ${CAMERAS} cameras: ${queryMinuteDay}`);
  console.log(`  History tab report (today, last week, 30 days, busiest hours, zones): ${report}`);
  console.log(`  a day's hour grids of one camera (for /heatmap.png): ${heatDay}`);
  console.log(`  one minute's write, ${CAMERAS} cameras: ${writeMinute}; the retention prune: ${prune}`);
  console.log(
    JSON.stringify({
      cameras: CAMERAS,
      days: DAYS,
      minuteRows: minutesWritten,
      dbMegabytes: mb(bytes),
      megabytesPerCameraYear: mb(perCameraYear),
      heatMegabytes: mb(heatBytes),
      queryHour30DaysMs: queryHour30,
      csvHour30DaysMs: csvHour30,
      queryHour30DaysOneCameraMs: queryHour30One,
      queryDayYearMs: queryDayYear,
      queryMinuteDayMs: queryMinuteDay,
      reportMs: report,
      heatDayMs: heatDay,
      writeMinuteMs: writeMinute,
      pruneMs: prune,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
