import assert from 'node:assert/strict';
import { functionNode } from './function-node';

type Out = { payload: unknown } | null;

const hour = (h: number, today: number | null, compare: number | null) => ({
  hour: h,
  today: { visitors: today, footfallIn: today === null ? null : today * 2 },
  compare: { visitors: compare, footfallIn: compare },
});

/** analytics-history's answer to "history/report", small. */
const report = (hasFootfall: boolean) => ({
  date: '2026-03-10',
  compareDate: '2026-03-03', // a Tuesday
  cameras: ['camera-1'],
  // Every hour of the day, by its number: data at 09:00 today and at 11:00 last week.
  hours: Array.from({ length: 24 }, (_, h) => hour(h, h === 9 ? 3 : null, h === 11 ? 4 : null)),
  days: [
    { date: '2026-03-09', visitors: null, footfallIn: null },
    { date: '2026-03-10', visitors: 7, footfallIn: 14 },
  ],
  hasFootfall,
  zones: ['till'],
  zoneDwell: [
    { date: '2026-03-09', dwellMeanSeconds: { till: null } },
    { date: '2026-03-10', dwellMeanSeconds: { till: 42 } },
  ],
  busiestHours: [{ hour: 23, visitorsMean: 4, footfallInMean: null, days: 1 }],
});

describe('function history-charts (the History tab)', () => {
  it('draws the open hours of both days, the days with data and the zone dwell; missing data stays null', () => {
    const out = functionNode('history-charts').run({
      topic: 'history/report',
      statusCode: 200,
      payload: report(true),
    }) as Out[];
    assert.equal(out.length, 6);
    assert.deepEqual(out[1]!.payload, [
      {
        series: ['today', 'last Tuesday'],
        data: [
          [3, null, null],
          [null, null, 4],
        ],
        labels: ['09:00', '10:00', '11:00'],
      },
    ]);
    assert.deepEqual((out[0]!.payload as Array<{ data: unknown }>)[0].data, [
      [6, null, null],
      [null, null, 4],
    ]);
    assert.deepEqual(out[2]!.payload, [
      {
        series: ['visitors', 'came in'],
        data: [
          [null, 7],
          [null, 14],
        ],
        labels: ['09/03', '10/03'],
      },
    ]);
    const busiest = out[3]!.payload as { hours: Array<{ label: string }>; days: number; footfall: boolean };
    assert.equal(busiest.hours[0].label, '23:00-00:00');
    assert.equal(busiest.days, 1);
    assert.deepEqual(out[4]!.payload, [{ series: ['till'], data: [[42]], labels: ['10/03'] }]);
    const heat = out[5]!.payload as Record<string, unknown>;
    assert.deepEqual(
      { ...heat, at: 0 },
      {
        cameras: ['camera-1'],
        date: '2026-03-10',
        compareDate: '2026-03-03',
        from: '2026-03-09',
        to: '2026-03-10',
        at: 0,
      },
    );
  });

  it('draws no footfall without a door line, and passes by other answers and failures', () => {
    const f = functionNode('history-charts');
    const out = f.run({ topic: 'history/report', statusCode: 200, payload: report(false) }) as Out[];
    assert.deepEqual(out[0]!.payload, []);
    assert.deepEqual((out[2]!.payload as Array<{ series: string[] }>)[0].series, ['visitors']);
    assert.equal(f.run({ topic: 'history', statusCode: 200 }), null);
    assert.equal(f.run({ topic: 'history/report', statusCode: 500, payload: { error: 'locked' } }), null);
    assert.deepEqual(f.statuses.at(-1), { fill: 'red', shape: 'dot', text: 'locked' });
  });
});
