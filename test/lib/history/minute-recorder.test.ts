import assert from 'node:assert/strict';
import { MinuteRecorder } from '../../../nodes/lib/history/minute-recorder';

/** Frames of one camera every 100 ms from `from` to `to` (ms), with `people` in view. */
function feed(rec: MinuteRecorder, cameraId: string, from: number, to: number, people = 1, extra = {}) {
  for (let at = from; at <= to; at += 100) rec.add({ cameraId, at, peopleInView: people, ...extra });
}

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
