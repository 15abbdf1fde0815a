import assert from 'node:assert/strict';
import { functionNode } from './function-node';

type Out = { payload: unknown } | null;

const camera = (people: number, updatedAt: number, gapSeconds = 0) => ({
  peopleInView: people,
  uniquePeople: 10 + people,
  totalActivity: `${people} min`,
  cameraGapSeconds: gapSeconds,
  cameraGap: `${gapSeconds} s`,
  updatedAt,
});

describe('function dashboard-numbers (the Store tab)', () => {
  it("sends every camera's row and the store's numbers; a camera without frames for 5 s shows no people", () => {
    const now = Date.now();
    const store = {
      cameras: { 'camera-1': camera(2, now), 'camera-2': camera(5, now - 6000, 30) },
      totals: { totalActivity: '7 min', cameraGap: '30 s', camerasWithGaps: 1 },
    };
    const f = functionNode('dashboard-numbers', {
      flow: {
        cameraStatus: { 'camera-1': 'streaming', 'camera-2': 'reconnecting', 'camera-3': 'connecting' },
      },
    });
    const out = f.run({ store }) as Out[];
    assert.equal(out.length, 7);
    const { cameras, feeds } = out[0]!.payload as { cameras: Array<Record<string, unknown>>; feeds: object };
    assert.deepEqual(cameras[0], {
      camera: 'camera-1',
      feed: '../overlay_feed/camera-1',
      people: 2,
      visitors: 12,
      activity: '2 min',
      gaps: 'none',
      status: 'streaming',
    });
    assert.equal(cameras[1].people, '–', 'camera-2 sent no frame for 6 s');
    assert.equal(cameras[1].gaps, '30 s');
    assert.deepEqual(cameras[2], {
      camera: 'camera-3',
      feed: '../overlay_feed/camera-3',
      people: '–',
      visitors: '–',
      activity: '–',
      gaps: '–',
      status: 'connecting',
    });
    assert.deepEqual(Object.keys(feeds), ['camera-1', 'camera-2', 'camera-3']);
    assert.deepEqual(
      out.slice(1, 6).map((o) => o!.payload),
      [2, 27, '7 min', '30 s', 'not yet'],
      'people in view (live cameras), visitors, activity, gaps, last save',
    );
    // The chart: one message per camera (a line each) on the seventh output.
    assert.deepEqual(out[6], [
      { topic: 'camera-1', payload: 2 },
      { topic: 'camera-2', payload: 5 },
    ]);
  });

  it('says over how many cameras the gaps are, and when the day was last saved', () => {
    const now = Date.now();
    const store = {
      cameras: { 'camera-1': camera(1, now, 10), 'camera-2': camera(1, now, 20) },
      totals: { totalActivity: '2 min', cameraGap: '30 s', camerasWithGaps: 2 },
    };
    const saved = now - 60000;
    const out = functionNode('dashboard-numbers', { flow: { lastSavedAt: saved } }).run({ store }) as Out[];
    assert.equal(out[4]!.payload, '30 s over 2 cameras');
    assert.equal(out[5]!.payload, new Date(saved).toLocaleTimeString());
  });

  it('sends the numbers at most once a second and the chart at most every 10 s', () => {
    const now = Date.now();
    const store = { cameras: { 'camera-1': camera(1, now) }, totals: { totalActivity: '1 min' } };
    const f = functionNode('dashboard-numbers');
    assert.ok(f.run({ store }));
    assert.equal(f.run({ store }), null, 'within the second');
    f.context.set('numbersAt', now - 1000);
    const again = f.run({ store }) as Out[];
    assert.ok(again[1], 'a second later: the numbers');
    assert.equal(again[6], null, 'but not the chart yet');
  });

  it('reads the kept statistics on a camera status change (no msg.store) and draws no chart', () => {
    const now = Date.now();
    const f = functionNode('dashboard-numbers', {
      flow: { statistics: { cameras: { 'camera-1': camera(3, now) }, totals: null } },
    });
    const out = f.run({ payload: 'streaming' }) as Out[];
    assert.equal(out[1]!.payload, 3);
    assert.equal(out[3]!.payload, '–', 'no totals yet');
    assert.equal(out[6], null);
  });
});
