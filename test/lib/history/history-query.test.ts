import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { HistoryDb } from '../../../nodes/lib/history/history-db';
import { historyCsv } from '../../../nodes/lib/history/history-csv';
import { parseHistoryQuery, queryHistory, QueryError } from '../../../nodes/lib/history/history-query';
import { HistoryWriter } from '../../../nodes/lib/history/history-writer';
import { MinuteRecorder } from '../../../nodes/lib/history/minute-recorder';
import { emptyMinute } from '../../../nodes/lib/history/minute-row';
import { parseLocalDate } from '../../../nodes/lib/time/local-time';
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
});
