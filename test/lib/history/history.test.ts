import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HistoryDb } from '../../../nodes/lib/history/history-db';
import { csvField, historyCsv } from '../../../nodes/lib/history/history-csv';
import { parseHistoryQuery, queryHistory, QueryError } from '../../../nodes/lib/history/history-query';
import { HistoryWriter } from '../../../nodes/lib/history/history-writer';
import { MinuteRecorder } from '../../../nodes/lib/history/minute-recorder';
import { emptyMinute, type MinuteRow, type ZoneMinute } from '../../../nodes/lib/history/minute-row';
import { historyReport } from '../../../nodes/lib/history/history-report';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../nodes/lib/history/schema';
import {
  hourStart,
  localDate,
  localIso,
  nextStep,
  parseLocalDate,
  stepStart,
} from '../../../nodes/lib/time/local-time';
import { testTmp } from '../../../support/assets';

/** Runs `body` with the process in another time zone (Node reads TZ again when it changes). */
function inZone<T>(zone: string, body: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

const tmpDb = () => {
  mkdirSync(testTmp, { recursive: true });
  const dir = mkdtempSync(path.join(testTmp, 'history-'));
  return path.join(dir, 'history.db');
};

/** Frames of one camera every 100 ms from `from` to `to` (ms), with `people` in view. */
function feed(rec: MinuteRecorder, cameraId: string, from: number, to: number, people = 1, extra = {}) {
  for (let at = from; at <= to; at += 100) rec.add({ cameraId, at, peopleInView: people, ...extra });
}

describe('history: local time steps', () => {
  it('cuts the October night of Europe/Berlin into 25 hours, 02:00 twice with two offsets', () => {
    inZone('Europe/Berlin', () => {
      const day = parseLocalDate('2026-10-25')!;
      const hours: string[] = [];
      for (let h = day; h < nextStep(day, 'day'); h = nextStep(h, 'hour')) hours.push(localIso(h));
      assert.equal(hours.length, 25);
      assert.deepEqual(hours.slice(2, 4), ['2026-10-25T02:00:00+02:00', '2026-10-25T02:00:00+01:00']);
      // A minute in the second 02:00 belongs to the second hour, not the first.
      const second = Date.parse('2026-10-25T02:30:00+01:00');
      assert.equal(localIso(hourStart(second)), '2026-10-25T02:00:00+01:00');
    });
  });

  it('cuts the March night into 23 hours, with no 02:00', () => {
    inZone('Europe/Berlin', () => {
      const day = parseLocalDate('2026-03-29')!;
      const hours: string[] = [];
      for (let h = day; h < nextStep(day, 'day'); h = nextStep(h, 'hour'))
        hours.push(localIso(h).slice(11, 13));
      assert.equal(hours.length, 23);
      assert.ok(!hours.includes('02'));
      assert.equal(localIso(nextStep(day, 'day')), '2026-03-30T00:00:00+02:00');
    });
  });

  it('puts a minute before midnight in its day and the next in the next day', () => {
    inZone('Europe/Berlin', () => {
      const midnight = parseLocalDate('2026-12-03')!;
      assert.equal(localIso(stepStart(midnight - 1, 'day')), '2026-12-02T00:00:00+01:00');
      assert.equal(localIso(stepStart(midnight, 'day')), '2026-12-03T00:00:00+01:00');
      const rec = new MinuteRecorder();
      feed(rec, 'a', midnight - 30_000, midnight + 30_000);
      const rows = rec.takeFinished(midnight + 120_000);
      assert.deepEqual(
        rows.map((r) => localIso(r.minute)),
        ['2026-12-02T23:59:00+01:00', '2026-12-03T00:00:00+01:00'],
      );
      assert.ok(Math.abs(rows[0].coveredSeconds - 30) < 0.2 && Math.abs(rows[1].coveredSeconds - 30) < 0.2);
    });
  });

  it('refuses dates that are not on the calendar', () => {
    assert.equal(parseLocalDate('2026-02-30'), null);
    assert.equal(parseLocalDate('2026-2-3'), null);
    assert.ok(parseLocalDate('2028-02-29') !== null);
  });
});

describe('history: minute rows from frames', () => {
  const t0 = Date.parse('2026-12-02T10:00:00Z');

  it('counts covered seconds and people-seconds per minute; a pause is a gap, not an empty store', () => {
    const rec = new MinuteRecorder({ maxFrameIntervalSeconds: 2, graceMs: 5000 });
    feed(rec, 'a', t0, t0 + 20_000, 2); // 20 s with 2 people
    feed(rec, 'a', t0 + 40_000, t0 + 59_900, 0); // a 20 s pause, then 20 s empty
    const [row] = rec.takeFinished(t0 + 70_000);
    assert.ok(Math.abs(row.coveredSeconds - 39.9) < 0.01, String(row.coveredSeconds));
    assert.ok(Math.abs(row.peopleSeconds - 40) < 0.01);
    assert.equal(row.peopleMax, 2);
  });

  it('writes no row for a minute without frames (it reads as missing)', () => {
    const rec = new MinuteRecorder();
    feed(rec, 'a', t0, t0 + 59_900);
    feed(rec, 'a', t0 + 180_000, t0 + 200_000);
    const rows = rec.takeFinished(t0 + 300_000);
    assert.deepEqual(
      rows.map((r) => (r.minute - t0) / 60_000),
      [0, 3],
    );
  });

  it('takes the running totals as differences, each camera apart; a new day counts whole', () => {
    const rec = new MinuteRecorder();
    const heat = (visitors: number) => ({ heat: { since: t0, visitors, activitySeconds: visitors * 10 } });
    rec.add({ cameraId: 'a', at: t0, peopleInView: 1, ...heat(3) });
    rec.add({
      cameraId: 'b',
      at: t0,
      peopleInView: 1,
      heat: { since: t0, visitors: 100, activitySeconds: 0 },
    });
    rec.add({ cameraId: 'a', at: t0 + 61_000, peopleInView: 1, ...heat(5) });
    rec.add({
      cameraId: 'a',
      at: t0 + 62_000,
      peopleInView: 1,
      heat: { since: t0 + 62_000, visitors: 1, activitySeconds: 1 },
    });
    const rows = rec.takeAll();
    const a = rows.filter((r) => r.cameraId === 'a');
    assert.deepEqual(
      a.map((r) => r.visitors),
      [3, 2 + 1],
    );
    assert.equal(rows.find((r) => r.cameraId === 'b')!.visitors, 100);
  });

  it('adds nothing when a node comes back with less of the same day (restored from an older save)', () => {
    const rec = new MinuteRecorder();
    const foot = (n: number) => ({ footfall: { day: '20261202', lines: { door: { in: n, out: 0 } } } });
    rec.add({ cameraId: 'a', at: t0, peopleInView: 0, ...foot(10) });
    rec.add({ cameraId: 'a', at: t0 + 100, peopleInView: 0, ...foot(8) }); // restored 8
    rec.add({ cameraId: 'a', at: t0 + 200, peopleInView: 0, ...foot(9) });
    assert.equal(rec.takeAll()[0].lines.door.in, 11);
  });

  it('counts nothing twice when the database opens late: the counts wait for its totals, then come whole', () => {
    const rec = new MinuteRecorder();
    const foot = (n: number) => ({ footfall: { day: '20261202', lines: { door: { in: n, out: 0 } } } });
    // The database (not open yet) has the day up to 10 people in; the line counter restored them.
    rec.awaitCursors('a');
    rec.add({ cameraId: 'a', at: t0, peopleInView: 1, ...foot(10) });
    rec.add({ cameraId: 'a', at: t0 + 1000, peopleInView: 1, ...foot(12) });
    rec.restoreCursors('a', new Map([['in:door', { period: 'day:20261202', value: 10 }]]));
    rec.add({ cameraId: 'a', at: t0 + 2000, peopleInView: 1, ...foot(13) });
    const [row] = rec.takeAll();
    assert.equal(row.lines.door.in, 3, 'the 3 that came after the last write, once');
    assert.ok(row.coveredSeconds > 1.9, 'the minute kept its frames meanwhile');
  });

  it('keeps with each row the totals it ends at, so a restart takes up where the last write ended', () => {
    const rec = new MinuteRecorder();
    const foot = (n: number) => ({ footfall: { day: '20261202', lines: { door: { in: n, out: 0 } } } });
    rec.add({ cameraId: 'a', at: t0, peopleInView: 0, ...foot(4) });
    rec.add({ cameraId: 'a', at: t0 + 60_000, peopleInView: 0, ...foot(6) }); // the next minute, not written
    const [first] = rec.takeFinished(t0 + 60_000);
    assert.deepEqual(first.cursors['in:door'], { period: 'day:20261202', value: 4 });
    // After a crash, the cursors of the written row come back: the unwritten 2 are taken again.
    const again = new MinuteRecorder();
    again.restoreCursors('a', new Map(Object.entries(first.cursors)));
    again.add({ cameraId: 'a', at: t0 + 90_000, peopleInView: 0, ...foot(7) });
    assert.equal(again.takeAll()[0].lines.door.in, 3);
  });
});

describe('history: the database', () => {
  const t0 = Date.parse('2026-12-02T10:00:00Z');
  const row = (cameraId: string, minute: number, people: number) => ({
    ...emptyMinute(cameraId, minute),
    coveredSeconds: 60,
    peopleSeconds: people * 60,
    peopleMax: people,
    visitors: people,
    activitySeconds: people * 60,
    lines: { 'front door': { in: people, out: 1 } },
  });

  it('adds a minute written in two parts (before and after a redeploy) into one row', () => {
    const db = new HistoryDb(tmpDb(), t0);
    db.write({ minutes: [{ ...row('a', t0, 1), coveredSeconds: 20 }] });
    db.write({ minutes: [{ ...row('a', t0, 3), coveredSeconds: 30 }] });
    const [m] = [...db.minutes('a', t0, t0 + 60_000)];
    assert.equal(m.coveredSeconds, 50);
    assert.equal(m.peopleMax, 3);
    assert.equal(m.visitors, 4);
    assert.deepEqual(m.lines['front door'], { in: 4, out: 2 });
    db.close();
  });

  it('says when the run before did not close (killed): its last write is known', () => {
    const file = tmpDb();
    const first = new HistoryDb(file, t0);
    first.write({ minutes: [row('a', t0, 1)] }, t0 + 61_000);
    first.db.close(); // as a SIGKILL leaves it: no close of the run
    const second = new HistoryDb(file, t0 + 200_000);
    assert.deepEqual(second.previousRun, { startedAt: t0, lastWrite: t0 + 61_000, closedCleanly: false });
    second.close();
    const third = new HistoryDb(file, t0 + 300_000);
    assert.equal(third.previousRun!.closedCleanly, true);
    third.close();
  });

  it('migrates a database of schema 1 and keeps its rows; activity of old rows reads as missing', () => {
    const file = tmpDb();
    const old = new Database(file);
    old.exec(MIGRATIONS[0]);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO names (id, kind, name) VALUES (1, 'camera', 'a')").run();
    old.prepare('INSERT INTO minutes VALUES (1, ?, 60, 120, 2, 1)').run(t0 / 60_000);
    old.close();
    const db = new HistoryDb(file, t0 + 60_000);
    assert.equal(db.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const [m] = [...db.minutes('a', t0, t0 + 60_000)];
    assert.equal(m.peopleSeconds, 120);
    assert.equal(m.activitySeconds, null);
    db.write({ minutes: [row('a', t0 + 60_000, 1)] });
    assert.equal([...db.minutes('a', t0, t0 + 120_000)].length, 2);
    db.close();
  });

  it('answers hours and days from the quarter-hour sums exactly as from the minutes, also for minutes written before schema 4', () => {
    const file = tmpDb();
    const at = (i: number) => t0 + i * 60_000;
    const minutes = Array.from({ length: 200 }, (_, i) => ({
      ...row(i % 3 === 0 ? 'b' : 'a', at(i * 7), (i * 5) % 4),
      coveredSeconds: 30 + (i % 30),
      zones: {
        till: {
          occupancySeconds: i % 11,
          occupancyMax: i % 2,
          visits: i % 3,
          dwells: i % 2,
          dwellSeconds: i,
        },
      },
    }));
    // The first half goes into a schema 3 database (no quarters), the rest after the migration.
    const old = new Database(file);
    for (const step of MIGRATIONS.slice(0, 3)) old.exec(step);
    old.pragma('user_version = 3');
    const v3 = { db: old }; // written as a version with minutes only wrote them
    const rowsOf = (from: number, to: number) => minutes.slice(from, to);
    const insertV3 = v3.db.transaction((rows: typeof minutes) => {
      for (const m of rows) {
        const ids = ['camera', 'line', 'zone'].map((kind, i) => {
          const name = [m.cameraId, 'front door', 'till'][i];
          v3.db.prepare('INSERT OR IGNORE INTO names (kind, name) VALUES (?, ?)').run(kind, name);
          return (
            v3.db.prepare('SELECT id FROM names WHERE kind = ? AND name = ?').get(kind, name) as {
              id: number;
            }
          ).id;
        });
        const minute = m.minute / 60_000;
        v3.db
          .prepare('INSERT INTO minutes VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(ids[0], minute, m.coveredSeconds, m.peopleSeconds, m.peopleMax, m.visitors, m.activitySeconds);
        v3.db
          .prepare('INSERT INTO line_minutes VALUES (?, ?, ?, ?, ?)')
          .run(ids[0], minute, ids[1], m.lines['front door'].in, m.lines['front door'].out);
        const z = m.zones.till;
        v3.db
          .prepare('INSERT INTO zone_minutes VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(
            ids[0],
            minute,
            ids[2],
            z.occupancySeconds,
            z.occupancyMax,
            z.visits,
            z.dwells,
            z.dwellSeconds,
          );
      }
    });
    insertV3(rowsOf(0, 100));
    v3.db.close();
    const db = new HistoryDb(file, t0);
    assert.equal(db.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    db.write({ minutes: rowsOf(100, 200) });
    db.write({ minutes: [{ ...row('a', at(1393), 2), coveredSeconds: 10 }] }); // a minute in two parts
    const end = at(1400);
    const byMinutes = (step: 'hour' | 'day') => {
      // The same sums, made from the minute rows in the test.
      const answer = queryHistory(
        db,
        { cameras: ['a', 'b'], from: parseLocalDate(localDate(t0))!, to: end, step: 'minute' },
        end,
      );
      const sums = new Map<string, { visitors: number; in: number; covered: number; dwells: number }>();
      for (const r of answer.rows) {
        const key = `${r.camera} ${localIso(stepStart(Date.parse(r.time), step))}`;
        const s = sums.get(key) ?? { visitors: 0, in: 0, covered: 0, dwells: 0 };
        s.visitors += r.visitors ?? 0;
        s.in += r.footfallIn ?? 0;
        s.covered += r.coveredSeconds;
        s.dwells += r.zones.till?.dwells ?? 0;
        sums.set(key, s);
      }
      return sums;
    };
    for (const step of ['hour', 'day'] as const) {
      const answer = queryHistory(
        db,
        { cameras: ['a', 'b'], from: parseLocalDate(localDate(t0))!, to: end, step },
        end,
      );
      const expected = byMinutes(step);
      assert.ok(answer.rows.length > 0);
      for (const r of answer.rows) {
        const e = expected.get(`${r.camera} ${r.time}`)!;
        assert.deepEqual(
          {
            visitors: r.visitors ?? 0,
            in: r.footfallIn ?? 0,
            covered: r.coveredSeconds,
            dwells: r.zones.till?.dwells ?? 0,
          },
          { ...e, covered: Math.round(e.covered * 10) / 10 },
          `${step} ${r.camera} ${r.time}`,
        );
      }
    }
    db.close();
  });

  it('refuses a database of a newer schema than it knows, with the reason', () => {
    const file = tmpDb();
    const newer = new Database(file);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    assert.throws(() => new HistoryDb(file), /newer than this version/);
  });

  it('removes what is older than the retention, and nothing newer', () => {
    const db = new HistoryDb(tmpDb(), t0);
    const day = 86_400_000;
    db.write({ minutes: [row('a', t0 - 401 * day, 1), row('a', t0 - 399 * day, 1), row('a', t0, 1)] });
    db.prune(400, t0);
    assert.equal([...db.minutes('a', 0, t0 + day)].length, 2);
    db.close();
  });

  it('keeps rows in memory while the disk refuses them, bounded, and writes them when it is back', () => {
    const file = tmpDb();
    const db = new HistoryDb(file, t0);
    let broken = true;
    const writer = new HistoryWriter(() => (broken ? null : db), 3);
    for (let i = 0; i < 5; i++) {
      const out = writer.write({ minutes: [row('a', t0 + i * 60_000, 1)] });
      assert.ok(out.error);
    }
    assert.equal(writer.waiting, 3);
    assert.equal(writer.dropped, 2);
    broken = false;
    assert.equal(writer.write({}).written, 3);
    assert.deepEqual(
      [...db.minutes('a', t0, t0 + 600_000)].map((m) => (m.minute - t0) / 60_000),
      [2, 3, 4],
    );
    db.close();
  });
});

describe('history: queries and CSV', () => {
  it('gives a row per hour and camera, missing hours as null with their gap, by local time', () => {
    inZone('Europe/Berlin', () => {
      const t0 = parseLocalDate('2026-12-02')! + 9 * 3_600_000;
      const db = new HistoryDb(tmpDb(), t0);
      const minute = (m: number, people: number) => ({
        ...emptyMinute('a', t0 + m * 60_000),
        coveredSeconds: 60,
        peopleSeconds: people * 60,
        peopleMax: people,
        visitors: 1,
        activitySeconds: 5,
      });
      db.write({ minutes: [minute(0, 1), minute(1, 3), minute(125, 2)] });
      const q = parseHistoryQuery({ from: '2026-12-02', step: 'hour' }, ['a'], t0 + 130 * 60_000);
      const answer = queryHistory(db, q, t0 + 130 * 60_000);
      assert.deepEqual(
        answer.rows.map((r) => [r.time.slice(11, 16), r.visitors, r.peopleMean]),
        [
          ['09:00', 2, 2],
          ['10:00', null, null],
          ['11:00', 1, 2],
        ],
      );
      assert.equal(answer.rows[0].gapSeconds, 3600 - 120);
      assert.equal(answer.rows[1].gapSeconds, 3600);
      assert.equal(answer.rows[2].gapSeconds, 600 - 60, 'the current hour: only the time so far');
      db.close();
    });
  });

  it('answers a bad step, date or camera with 400 and the reason', () => {
    const bad = (q: Record<string, unknown>, pattern: RegExp) =>
      assert.throws(
        () => parseHistoryQuery(q, ['camera-1']),
        (err: unknown) => err instanceof QueryError && err.statusCode === 400 && pattern.test(err.message),
      );
    bad({ step: 'week' }, /step must be minute, hour or day/);
    bad({ from: '2026-13-01' }, /from must be a date/);
    bad({ date: '2026-13-45' }, /date must be a date as YYYY-MM-DD, not "2026-13-45"/);
    bad({ date: '../../etc/passwd' }, /date must be a date as YYYY-MM-DD/);
    bad({ date: '2026-12-01', from: '2026-12-01' }, /either date \(one day\) or from and to, not both/);
    bad({ from: '2026-12-05', to: '2026-12-01' }, /after/);
    bad({ camera: 'camera-9' }, /no history of camera camera-9; history has camera-1/);
    bad({ from: '2026-01-01', to: '2026-12-01', step: 'minute' }, /at most 31 camera-days/);
    // Eight cameras: a few days of minutes, not a month.
    const eight = Array.from({ length: 8 }, (_, i) => `camera-${i + 1}`);
    const minutes = (from: string, to: string) => parseHistoryQuery({ from, to, step: 'minute' }, eight);
    assert.equal(minutes('2026-11-29', '2026-12-01').cameras.length, 8, '3 days x 8 cameras: 24 camera-days');
    assert.throws(() => minutes('2026-11-28', '2026-12-01'), /4 days x 8 cameras/);
  });

  it('takes date= as one day', () => {
    const q = parseHistoryQuery({ date: '2026-12-01', step: 'minute' }, ['camera-1']);
    assert.equal(q.from, parseLocalDate('2026-12-01'));
    assert.equal(q.to, parseLocalDate('2026-12-02'));
  });

  it('leaves the minute in progress out: it is no gap in the minute, hour or day rows', () => {
    const t0 = parseLocalDate('2026-12-02')! + 9 * 3_600_000;
    const db = new HistoryDb(tmpDb(), t0);
    const rec = new MinuteRecorder();
    const writer = new HistoryWriter(() => db);
    const query = (step: string, now: number) =>
      queryHistory(db, parseHistoryQuery({ step }, ['a'], now), now, rec.unfinishedMinutes());
    // The camera streams from 09:00:00 to 09:02:45; the minutes that are over are written.
    feed(rec, 'a', t0, t0 + 165_000, 2);
    writer.write({ minutes: rec.takeFinished(t0 + 165_000) }, t0 + 165_000);
    const now = t0 + 165_050;
    const minutes = query('minute', now);
    assert.deepEqual(
      minutes.rows.map((r) => [r.time.slice(11, 16), r.coveredSeconds, r.gapSeconds, r.peopleMean]),
      [
        ['09:00', 60, 0, 2],
        ['09:01', 60, 0, 2],
      ],
      '09:02 is in progress: no row yet',
    );
    assert.doesNotMatch(historyCsv(minutes), /09:02/);
    const [hour] = query('hour', now).rows;
    assert.deepEqual([hour.coveredSeconds, hour.gapSeconds], [120, 0]);
    const [day] = query('day', now).rows;
    assert.equal(day.gapSeconds, 9 * 3600, 'the night before the first frame; nothing of 09:02');
    // 09:03 has begun and no frame has closed 09:02 yet: it is held, not written, and still left out.
    const later = t0 + 180_050;
    assert.deepEqual(rec.unfinishedMinutes(), new Map([['a', t0 + 120_000]]));
    assert.equal(query('minute', later).rows.length, 2);
    assert.equal(query('hour', later).rows[0].gapSeconds, 0);
    // Written, it counts whole; a camera that stops leaves its gap in the minutes that are over.
    writer.write({ minutes: rec.takeFinished(t0 + 190_000) }, t0 + 190_000);
    const after = query('minute', t0 + 250_000);
    assert.deepEqual(
      after.rows.map((r) => [r.time.slice(11, 16), r.coveredSeconds, r.gapSeconds]),
      [
        ['09:00', 60, 0],
        ['09:01', 60, 0],
        ['09:02', 45, 15],
        ['09:03', 0, 60],
      ],
    );
    db.close();
  });

  it('quotes CSV fields with commas, quotes and line breaks, and leaves missing data empty', () => {
    assert.equal(csvField('door, front'), '"door, front"');
    assert.equal(csvField('the "big" door'), '"the ""big"" door"');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(0), '0');
    const csv = historyCsv({
      timeZone: 'UTC',
      step: 'hour',
      from: '2026-12-02',
      to: '2026-12-02',
      cameras: ['a'],
      lines: ['door, front'],
      zones: [],
      rows: [
        {
          time: '2026-12-02T09:00:00+00:00',
          camera: 'a',
          coveredSeconds: 0,
          gapSeconds: 3600,
          peopleMean: null,
          peopleMax: null,
          visitors: null,
          activitySeconds: null,
          footfallIn: null,
          footfallOut: null,
          lines: {},
          zones: {},
        },
      ],
    });
    assert.equal(
      csv,
      'time,camera,covered_seconds,gap_seconds,people_mean,people_max,visitors,activity_seconds,footfall_in,footfall_out,"door, front in","door, front out"\r\n' +
        '2026-12-02T09:00:00+00:00,a,0,3600,,,,,,,,\r\n',
    );
  });
});

describe('history: the report the History dashboard shows', () => {
  it('sets today against the same weekday a week before, sums cameras, finds the busiest hours', () => {
    inZone('Europe/Berlin', () => {
      const today = parseLocalDate('2026-12-02')!;
      const lastWeek = parseLocalDate('2026-11-25')!;
      const db = new HistoryDb(tmpDb(), lastWeek);
      const minute = (
        cameraId: string,
        at: number,
        visitors: number,
        inCount: number,
        dwell?: number,
      ): MinuteRow => ({
        ...emptyMinute(cameraId, at),
        coveredSeconds: 60,
        peopleSeconds: 60,
        peopleMax: 1,
        visitors,
        activitySeconds: 5,
        lines: { door: { in: inCount, out: 0 } },
        zones:
          dwell === undefined
            ? ({} as Record<string, ZoneMinute>)
            : { till: { occupancySeconds: 30, occupancyMax: 1, visits: 1, dwells: 1, dwellSeconds: dwell } },
      });
      const h = (day: number, hour: number) => day + hour * 3_600_000;
      db.write({
        minutes: [
          minute('a', h(today, 9), 2, 1, 40),
          minute('b', h(today, 9), 3, 0, 20),
          minute('a', h(today, 11), 7, 4),
          minute('a', h(lastWeek, 9), 1, 1),
          minute('a', h(lastWeek, 11), 1, 2, 90),
        ],
      });
      const now = h(today, 12);
      const report = historyReport(db, {}, now);
      assert.equal(report.date, '2026-12-02');
      assert.equal(report.compareDate, '2026-11-25');
      assert.deepEqual(report.cameras, ['a', 'b']);
      assert.ok(report.hasFootfall);
      assert.deepEqual(report.hours[9].today, { visitors: 5, footfallIn: 1, footfallOut: 0 });
      assert.deepEqual(report.hours[9].compare, { visitors: 1, footfallIn: 1, footfallOut: 0 });
      assert.deepEqual(report.hours[10].today, { visitors: null, footfallIn: null, footfallOut: null });
      assert.equal(report.hours[13].today.visitors, null, 'not yet');
      assert.equal(report.days.length, 30);
      assert.equal(report.days.at(-1)!.date, '2026-12-02');
      assert.equal(report.days.at(-1)!.visitors, 12);
      assert.equal(report.days.find((d) => d.date === '2026-11-25')!.footfallIn, 3);
      assert.equal(report.days.find((d) => d.date === '2026-11-26')!.visitors, null, 'missing, not 0');
      // Hour 11: 7 today and 1 a week ago -> 4; hour 9: 5 and 1 -> 3.
      assert.deepEqual(
        report.busiestHours.map((b) => [b.hour, b.visitorsMean, b.days]),
        [
          [11, 4, 2],
          [9, 3, 2],
        ],
      );
      assert.deepEqual(report.zones, ['till']);
      assert.equal(report.zoneDwell.at(-1)!.dwellMeanSeconds.till, 30, 'two cameras: (40 + 20) / 2');
      assert.equal(report.zoneDwell.find((d) => d.date === '2026-11-25')!.dwellMeanSeconds.till, 90);
      assert.equal(historyReport(db, { camera: 'b' }, now).days.at(-1)!.visitors, 3);
      assert.throws(() => historyReport(db, { camera: 'x' }, now), /no history of camera x/);
      db.close();
    });
  });
});
