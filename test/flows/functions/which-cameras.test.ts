import assert from 'node:assert/strict';
import { functionNode } from './function-node';

type Out = Record<string, unknown> | null;

/** A request to /reset_heatmap or /save_heatmap as http in makes it. */
const request = (method: 'GET' | 'POST', path: string, camera?: string) => ({
  req: { method, path, query: camera === undefined ? {} : { camera } },
  payload: { from: 'the request body' },
});

const knownCameras = {
  statistics: { cameras: { 'camera-1': {} }, totals: null },
  cameraStatus: { 'camera-2': 'reconnecting in 5 s' },
};

describe('function which-cameras (/reset_heatmap, /save_heatmap)', () => {
  it('sends a reset of every camera on output 1, without the request body', () => {
    const out = functionNode('which-cameras', { flow: knownCameras }).run(
      request('POST', '/reset_heatmap'),
    ) as Out[];
    assert.equal(out[1], null);
    assert.equal(out[2], null);
    assert.equal(out[0]!.topic, 'reset');
    assert.ok(!('cameras' in out[0]!));
    assert.ok(!('payload' in out[0]!));
  });

  it('sends a save of the cameras named by ?camera= (a comma-separated list) on output 2', () => {
    const out = functionNode('which-cameras', { flow: knownCameras }).run(
      request('GET', '/save_heatmap', ' camera-2 , camera-1,'),
    ) as Out[];
    assert.equal(out[0], null);
    assert.equal(out[2], null);
    assert.equal(out[1]!.topic, 'save');
    // camera-2 is known by its status alone: it has not sent a frame yet.
    assert.deepEqual(out[1]!.cameras, ['camera-2', 'camera-1']);
  });

  it('refuses an unknown camera with 404 on output 3, naming the cameras there are', () => {
    const out = functionNode('which-cameras', { flow: knownCameras }).run(
      request('POST', '/reset_heatmap', 'camera-1,camera-9'),
    ) as Out[];
    assert.deepEqual(out.slice(0, 2), [null, null]);
    assert.equal(out[2]!.statusCode, 404);
    assert.deepEqual(out[2]!.payload, { error: 'no camera camera-9 (cameras: camera-1, camera-2)' });
    const none = functionNode('which-cameras').run(request('POST', '/save_heatmap', 'camera-1')) as Out[];
    assert.deepEqual(none[2]!.payload, { error: 'no camera camera-1 (cameras: none yet)' });
  });

  it('refuses GET with 405 when STATE_CHANGES_POST_ONLY=true, and takes POST', () => {
    const env = { STATE_CHANGES_POST_ONLY: 'true' };
    const refused = functionNode('which-cameras', { flow: knownCameras, env }).run(
      request('GET', '/reset_heatmap'),
    ) as Out[];
    assert.equal(refused[2]!.statusCode, 405);
    assert.deepEqual(refused[2]!.headers, { allow: 'POST' });
    assert.deepEqual(refused[2]!.payload, { error: 'use POST for /reset_heatmap' });
    const taken = functionNode('which-cameras', { flow: knownCameras, env }).run(
      request('POST', '/reset_heatmap'),
    ) as Out[];
    assert.equal(taken[0]!.topic, 'reset');
  });
});
