import assert from 'node:assert/strict';
import { MinuteRecorder } from '../../../nodes/lib/history/minute-recorder';
import { hourStart, localIso, nextStep, parseLocalDate, stepStart } from '../../../nodes/lib/time/local-time';

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
