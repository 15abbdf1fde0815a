import assert from 'node:assert/strict';
import { eventItem } from '../../../nodes/lib/chain/payloads';

const t0 = Date.parse('2026-12-03T10:00:00Z');
describe('chain: events', () => {
  it('turns line-counter and zone-monitor messages into event payloads; others are not events', () => {
    const crossing = eventItem('s', 'crossing', {
      cameraId: 'door',
      line: 'entrance',
      direction: 'in',
      trackId: 7,
      at: t0,
    });
    assert.equal(crossing!.topic, 'store-analytics/s/door/event/crossing');
    assert.deepEqual(crossing!.body, {
      v: 1,
      store: 's',
      camera: 'door',
      time: new Date(t0).toISOString(),
      kind: 'crossing',
      track: 7,
      line: 'entrance',
      direction: 'in',
    });
    const exit = eventItem('s', 'zone', {
      cameraId: 'door',
      zone: 'till',
      event: 'exit',
      trackId: 2,
      at: t0,
      dwellSeconds: 12.5,
    });
    assert.equal(exit!.body.dwell_s, 12.5);
    assert.equal(eventItem('s', 'alert', { cameraId: 'door', at: t0 }), null);
    assert.equal(eventItem('s', 'crossing', { line: 'x' }), null, 'no camera or time: not an event');
  });
});
