import assert from 'node:assert/strict';
import { camerasOf, commandOf, isCommandTopic, selected } from '../../../nodes/lib/control/command';

describe('commands by msg.topic, naming their cameras', () => {
  it('reads the command from msg.topic only, never from the payload', () => {
    assert.equal(commandOf({ topic: ' Reset ' }, ['reset', 'save']), 'reset');
    assert.equal(commandOf({ topic: 'camera-1' }, ['reset', 'save']), null);
    assert.equal(commandOf({ payload: 'reset' } as { topic?: unknown }, ['reset']), null);
  });

  it('acts on every camera unless msg.cameras names some', () => {
    assert.deepEqual(camerasOf({}), { all: true });
    assert.deepEqual(camerasOf({ cameras: '' }), { all: true });
    assert.deepEqual(camerasOf({ cameras: '*' }), { all: true });
    assert.deepEqual(camerasOf({ cameras: 'door' }), { all: false, ids: ['door'] });
    assert.deepEqual(camerasOf({ cameras: 'door, till,door' }), { all: false, ids: ['door', 'till'] });
    assert.deepEqual(camerasOf({ cameras: ['till'] }), { all: false, ids: ['till'] });
    assert.deepEqual(selected(camerasOf({ cameras: 'till,gone' }), ['door', 'till']), ['till']);
    assert.deepEqual(selected(camerasOf({}), ['door', 'till']), ['door', 'till']);
  });

  it('refuses a msg.cameras it cannot read instead of acting on all', () => {
    assert.throws(() => camerasOf({ cameras: 42 }), /msg.cameras must be/);
    assert.throws(() => camerasOf({ cameras: ['door', 7] }), /msg.cameras must be/);
  });

  it('knows which topics are commands (no camera may be named like one)', () => {
    assert.ok(isCommandTopic('reset'));
    assert.ok(isCommandTopic('heatmap/snapshot'));
    assert.ok(!isCommandTopic('camera-1'));
  });
});
