import assert from 'node:assert/strict';
import { functionNode } from './function-node';

/** A GET /statistics request as http in makes it. */
const request = (query: Record<string, string> = {}, accept = 'application/json') => ({
  req: { headers: { accept }, query },
});

const cameraNumbers = (camera: string, people: number) => ({
  camera,
  peopleInView: people,
  uniquePeople: 10 * people,
  totalActivity: '1 min',
  cameraGapSeconds: 0,
  updatedAt: 1,
});

describe('function statistics (GET /statistics)', () => {
  it('says it waits while no camera has sent a frame', () => {
    const f = functionNode('statistics');
    const [json, html] = f.run(request()) as Array<Record<string, unknown> | null>;
    assert.equal(html, null);
    assert.deepEqual(json!.payload, {
      camera: null,
      waiting: 'no frame analysed yet',
      cameraStatus: 'unknown',
      lastSavedAt: null,
    });
    assert.deepEqual(json!.headers, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
  });

  it("puts one camera's numbers, counting and status at the top level", () => {
    const footfall = { in: 4, out: 1, occupancy: 3 };
    const f = functionNode('statistics', {
      flow: {
        statistics: { cameras: { 'camera-1': cameraNumbers('camera-1', 2) }, totals: {} },
        cameraStatus: { 'camera-1': 'streaming 10.0 fps' },
        counting: { 'camera-1': { footfall } },
        lastSavedAt: 1234,
      },
    });
    const [json] = f.run(request()) as Array<Record<string, unknown>>;
    assert.deepEqual(json.payload, {
      ...cameraNumbers('camera-1', 2),
      footfall,
      cameraStatus: 'streaming 10.0 fps',
      lastSavedAt: 1234,
    });
  });

  it('answers a camera that reports a status but no numbers yet with camera null', () => {
    const f = functionNode('statistics', {
      flow: { cameraStatus: { 'camera-1': 'connecting' } },
    });
    const [json] = f.run(request()) as Array<Record<string, unknown>>;
    assert.deepEqual(json.payload, {
      camera: null,
      waiting: 'no frame analysed yet',
      cameraStatus: 'connecting',
      lastSavedAt: null,
    });
  });

  it("gives several cameras each under its id and the store's totals with footfall summed", () => {
    const f = functionNode('statistics', {
      flow: {
        statistics: {
          cameras: { 'camera-1': cameraNumbers('camera-1', 2), 'camera-2': cameraNumbers('camera-2', 1) },
          totals: { peopleInView: 3 },
        },
        cameraStatus: { 'camera-1': 'streaming', 'camera-2': 'streaming', 'camera-3': 'reconnecting' },
        counting: {
          'camera-1': { footfall: { in: 4, out: 1, occupancy: 3 } },
          'camera-2': { footfall: { in: 2, out: 2, occupancy: null } },
        },
      },
    });
    const [json] = f.run(request()) as Array<{
      payload: { cameras: Record<string, Record<string, unknown>>; store: unknown };
    }>;
    assert.deepEqual(Object.keys(json.payload.cameras), ['camera-1', 'camera-2', 'camera-3']);
    assert.equal(json.payload.cameras['camera-1'].cameraStatus, 'streaming');
    assert.deepEqual(json.payload.cameras['camera-3'], {
      camera: 'camera-3',
      waiting: 'no frame analysed yet',
      cameraStatus: 'reconnecting',
    });
    assert.deepEqual(json.payload.store, { peopleInView: 3, footfall: { in: 6, out: 3, occupancy: 3 } });
  });

  it('sends a browser the rows of the HTML view, unless it asks for ?format=json', () => {
    const flow = {
      statistics: {
        cameras: { 'camera-1': { ...cameraNumbers('camera-1', 2), share: 0.12345 } },
        totals: {},
      },
      counting: { 'camera-1': { footfall: { in: 4, out: 1, occupancy: 3 } } },
    };
    const [json, html] = functionNode('statistics', { flow }).run(request({}, 'text/html,*/*')) as Array<{
      rows: Array<{ name: string; value: string }>;
    } | null>;
    assert.equal(json, null);
    const rows = new Map(html!.rows.map((r) => [r.name, r.value]));
    assert.equal(rows.get('peopleInView'), '2');
    assert.equal(rows.get('share'), '0.123');
    assert.equal(rows.get('footfall.in'), '4');
    const [asJson] = functionNode('statistics', { flow }).run(
      request({ format: 'json' }, 'text/html'),
    ) as unknown[];
    assert.ok(asJson);
  });
});
