import assert from 'node:assert/strict';
import { KnownCameras } from '../../../nodes/lib/control/known-cameras';

describe('KnownCameras: the cameras the running nodes have', () => {
  it('knows a camera while any node that has it runs', () => {
    const known = new KnownCameras();
    known.add('door', 'rtsp-1');
    known.add('door', 'heatmap');
    known.add('till', 'heatmap');
    assert.deepEqual(known.list(), ['door', 'till']);
    known.removeOwner('heatmap');
    assert.equal(known.has('door'), true, 'its camera node still runs');
    assert.equal(known.has('till'), false);
    known.removeOwner('rtsp-1');
    assert.deepEqual(known.list(), []);
  });
});
