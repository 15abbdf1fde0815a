import assert from 'node:assert/strict';
import { functionNode } from './function-node';

/** What a status node sends when node `nodeId` (an rtsp-in unless said) shows `text`. */
const status = (nodeId: string, text: string, type = 'rtsp-in') => ({
  status: { text, source: { id: nodeId, type } },
});

describe('function camera-status (the status per camera)', () => {
  it("keeps each camera's status and sends the dashboard's Camera line when it changes", () => {
    const f = functionNode('camera-status');
    assert.deepEqual(f.run(status('n1', 'camera-1: streaming 10.0 fps')), { payload: 'streaming 10.0 fps' });
    assert.deepEqual(f.flow.get('cameraStatus'), { 'camera-1': 'streaming 10.0 fps' });
    assert.equal(
      f.run(status('n1', 'camera-1: streaming 10.0 fps')),
      null,
      'the same line is not sent twice',
    );
    assert.deepEqual(f.run(status('n2', 'camera-2: no frames, reconnecting in 5 s')), {
      payload: '1 of 2 streaming',
    });
    assert.deepEqual(f.run(status('n2', 'camera-2: streaming 9.8 fps')), { payload: '2 of 2 streaming' });
  });

  it('forgets a camera whose node took another id or cleared its status', () => {
    const f = functionNode('camera-status');
    f.run(status('n1', 'camera-1: streaming'));
    f.run(status('n2', 'camera-2: streaming'));
    f.run(status('n2', 'door: streaming')); // the node's camera id was changed and deployed
    assert.deepEqual(f.flow.get('cameraStatus'), { 'camera-1': 'streaming', door: 'streaming' });
    f.run(status('n2', '')); // the node was removed
    assert.deepEqual(f.flow.get('cameraStatus'), { 'camera-1': 'streaming' });
    assert.deepEqual(f.flow.get('cameraStatusNodes'), { n1: 'camera-1' });
  });

  it("ignores other nodes' statuses", () => {
    const f = functionNode('camera-status');
    assert.equal(f.run(status('h1', 'camera-1: 3 people', 'heatmap')), null);
    assert.equal(f.run({ status: { text: 'x' } }), null);
    assert.equal(f.flow.get('cameraStatus'), undefined);
  });
});
