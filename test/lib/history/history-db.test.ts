import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HistoryDb } from '../../../nodes/lib/history/history-db';
import { queryHistory } from '../../../nodes/lib/history/history-query';
import { emptyMinute } from '../../../nodes/lib/history/minute-row';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../nodes/lib/history/schema';
import { localDate, localIso, parseLocalDate, stepStart } from '../../../nodes/lib/time/local-time';
import { testTmp } from '../../../support/assets';

const tmpDb = () => {
  mkdirSync(testTmp, { recursive: true });
  const dir = mkdtempSync(path.join(testTmp, 'history-'));
  return path.join(dir, 'history.db');
};

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
});
