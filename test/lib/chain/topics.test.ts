import assert from 'node:assert/strict';
import {
  cameraTopic,
  checkEnvelope,
  parseTopic,
  storeTopic,
  topicLevel,
} from '../../../nodes/lib/chain/topics';

const t0 = Date.parse('2026-12-03T10:00:00Z');
describe('chain: the topic tree and the payloads', () => {
  it('puts every message of a store under store-analytics/<store>/<camera>/...', () => {
    assert.equal(storeTopic('berlin-01', 'status'), 'store-analytics/berlin-01/status');
    assert.equal(cameraTopic('berlin-01', 'door', 'minute'), 'store-analytics/berlin-01/door/minute');
    assert.equal(cameraTopic('b', 'door', 'event', 'crossing'), 'store-analytics/b/door/event/crossing');
    assert.deepEqual(parseTopic('store-analytics/b/door/event/zone'), {
      store: 'b',
      camera: 'door',
      kind: 'event',
      eventKind: 'zone',
    });
    assert.deepEqual(parseTopic('store-analytics/b/status'), { store: 'b', kind: 'status' });
    assert.equal(parseTopic('store-analytics/b/door/other'), null);
    assert.equal(parseTopic('elsewhere/b/door/minute'), null);
  });

  it('refuses ids that would change the topic (/ + # control characters) instead of rewriting them', () => {
    for (const bad of ['a/b', 'a+', '#', 'x\u0000', ' ', ''])
      assert.throws(() => topicLevel(bad, 'store'), /store id/);
    assert.equal(topicLevel('Köln Süd 3', 'camera'), 'Köln Süd 3');
    assert.throws(() => cameraTopic('s', 'c', 'event'), /needs a kind/);
  });

  it('checks a payload against its topic: version, store, camera, seq, time', () => {
    const good = { v: 1, store: 's', camera: 'c', time: new Date(t0).toISOString(), seq: 4 };
    assert.deepEqual(checkEnvelope('store-analytics/s/c/minute', good), good);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, store: 't' }), /names t\/c/);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, v: 2 }), /version 2/);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, seq: 0 }), /seq/);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, time: 'noon' }), /ISO/);
    assert.throws(() => checkEnvelope('store-analytics/s/status', good), /not a camera topic/);
  });
});
