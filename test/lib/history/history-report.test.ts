import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { HistoryDb } from '../../../nodes/lib/history/history-db';
import { emptyMinute, type MinuteRow, type ZoneMinute } from '../../../nodes/lib/history/minute-row';
import { historyReport } from '../../../nodes/lib/history/history-report';
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
