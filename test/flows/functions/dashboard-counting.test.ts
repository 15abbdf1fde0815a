import assert from 'node:assert/strict';
import { functionNode } from './function-node';

type Out = { payload: unknown } | null;

const hourly = (hour: number, n: number) => Array.from({ length: 24 }, (_, h) => (h === hour ? n : 0));

describe('function dashboard-counting (footfall and zones)', () => {
  it("adds up the cameras' footfall, lists every zone and draws today's hours", () => {
    const hour = new Date().getHours();
    const f = functionNode('dashboard-counting', {
      flow: {
        counting: {
          'camera-2': {
            footfall: {
              in: 2,
              out: 1,
              occupancy: null,
              hourly: { in: hourly(hour, 2), out: hourly(hour, 1) },
            },
          },
          'camera-1': {
            footfall: { in: 5, out: 3, occupancy: 2, hourly: { in: hourly(hour, 5), out: hourly(hour, 3) } },
            zones: {
              till: {
                occupancy: 3,
                visits: 9,
                medianDwellSeconds: 75,
                queue: { length: 2, estimatedWaitSeconds: 40 },
              },
              door: { occupancy: 0, visits: 4, medianDwellSeconds: null },
            },
          },
        },
      },
    });
    const out = f.run({}) as Out[];
    assert.deepEqual(
      out.slice(0, 3).map((o) => o!.payload),
      [7, 4, 2],
    );
    assert.deepEqual(out[3]!.payload, {
      cameras: 2,
      rows: [
        {
          camera: 'camera-1',
          zone: 'till',
          people: 3,
          visits: 9,
          dwell: '1 min 15 s',
          queue: 2,
          wait: '40 s',
        },
        { camera: 'camera-1', zone: 'door', people: 0, visits: 4, dwell: '–', queue: '', wait: '' },
      ],
    });
    const [chart] = out[4]!.payload as Array<{ series: string[]; labels: string[]; data: number[][] }>;
    assert.deepEqual(chart.series, ['in', 'out']);
    assert.equal(chart.labels.length, hour + 1);
    assert.deepEqual([chart.data[0][hour], chart.data[1][hour]], [7, 4]);
    assert.equal(f.run({}), null, 'at most once a second');
  });

  it('shows "–" while no line counts, and nothing at all before any camera is counted', () => {
    const zonesOnly = functionNode('dashboard-counting', {
      flow: { counting: { 'camera-1': { zones: {} } } },
    });
    const out = zonesOnly.run({}) as Out[];
    assert.deepEqual(
      out.slice(0, 3).map((o) => o!.payload),
      ['–', '–', '–'],
    );
    assert.equal(functionNode('dashboard-counting').run({}), null);
  });
});
