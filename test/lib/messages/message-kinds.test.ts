import { strict as assert } from 'node:assert';
import type { NodeMessage } from 'node-red';
import { kindOf, routeMessage, TOPICS } from '../../../nodes/lib/messages/message-kinds';

describe('message kinds', () => {
  it('tells kinds apart by topic first, then by shape', () => {
    const req = { path: '/save' };
    assert.equal(kindOf({ topic: 'save', req, res: {} } as NodeMessage), 'command');
    assert.equal(kindOf({ topic: ' Reset ' }), 'command');
    assert.equal(kindOf({ topic: TOPICS.heatSnapshot, payload: [] }), 'heat-snapshot');
    assert.equal(kindOf({ topic: TOPICS.heatBackground }), 'heat-background');
    assert.equal(kindOf({ topic: TOPICS.heatRestoreRequest }), 'heat-restore-request');
    assert.equal(kindOf({ topic: 'history/report' }), 'query');
    assert.equal(kindOf({ topic: 'chain/csv' }), 'query');
    assert.equal(kindOf({ topic: 'crossing', payload: {} }), 'crossing');
    assert.equal(kindOf({ topic: 'zone', payload: {} }), 'zone-event');
    assert.equal(kindOf({ req: { path: '/history' }, res: {} } as NodeMessage), 'http-request');
    assert.equal(kindOf({ topic: 'camera-1', tracks: [], detections: [] } as NodeMessage), 'tracks');
    assert.equal(kindOf({ topic: 'camera-1', detections: [] } as NodeMessage), 'detections');
    const skipped = { topic: 'camera-1', payload: Buffer.from('jpeg'), detectionSkipped: true };
    assert.equal(kindOf(skipped as NodeMessage), 'detections', 'a frame yolo-detect passed over');
    assert.equal(kindOf({ topic: 'camera-1', payload: Buffer.from([0xff, 0xd8]) }), 'frame');
    assert.equal(kindOf({ topic: 'camera-1', payload: 'text' }), 'unknown');
    // Data topics are exact (the nodes write them); a prototype's property names are no kind.
    assert.equal(kindOf({ topic: 'History/Report' }), 'unknown');
    assert.equal(kindOf({ topic: 'constructor' }), 'unknown');
    assert.equal(kindOf({ topic: '__proto__' }), 'unknown');
    // A camera may be named like a kind's topic (not like a command): its frames stay frames.
    const zoneCamera = { topic: 'zone', payload: Buffer.from([0xff, 0xd8]), frame: { sourceId: 'zone' } };
    assert.equal(kindOf(zoneCamera as NodeMessage), 'frame');
    assert.equal(kindOf({ ...zoneCamera, tracks: [] } as NodeMessage), 'tracks');
  });

  it('routes to the handler of the kind, passes other nodes commands, and names what it expects', () => {
    const seen: string[] = [];
    const outcomes: Array<Error | undefined> = [];
    const done = (err?: Error) => outcomes.push(err);
    const handlers = {
      tracks: () => seen.push('tracks'),
      command: (m: NodeMessage) => seen.push(String(m.topic)),
    };
    const contract = { expects: 'tracks from the tracker', commands: ['reset'] };
    routeMessage({ topic: 'c', tracks: [] } as NodeMessage, handlers, done, contract);
    routeMessage({ topic: 'reset' }, handlers, done, contract);
    routeMessage({ topic: 'save' }, handlers, done, contract); // another node's command
    routeMessage({ topic: TOPICS.heatSnapshot, payload: [] }, handlers, done, contract); // likewise
    routeMessage({ topic: 'c', payload: 42 }, handlers, done, contract);
    assert.deepEqual(seen, ['tracks', 'reset']);
    assert.equal(outcomes.length, 3);
    assert.equal(outcomes[0], undefined);
    assert.equal(outcomes[1], undefined);
    assert.equal(outcomes[2]?.message, 'expected tracks from the tracker');
  });
});
