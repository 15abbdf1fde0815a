import assert from 'node:assert/strict';
import { CameraStates } from '../../../nodes/lib/chain/camera-states';

const t0 = Date.parse('2026-12-03T10:00:00Z');
describe('chain: camera state', () => {
  it('sends a camera state when it changed, at most once per interval, the held-back change with a later frame', () => {
    const states = new CameraStates('s', 5000);
    const frame = (people: number, inCount: number) => ({
      tracks: Array.from({ length: people }),
      footfall: { lines: { a: { in: inCount, out: 0 }, b: { in: 1, out: 2 } } },
      zones: { zones: { till: { occupancy: people } } },
    });
    const first = states.offer('door', frame(2, 3), t0)!;
    assert.equal(first.topic, 'store-analytics/s/door/state');
    assert.deepEqual(
      { ...JSON.parse(first.payload), time: '' },
      {
        v: 1,
        store: 's',
        camera: 'door',
        time: '',
        people: 2,
        footfall_in: 4,
        footfall_out: 2,
        zones: { till: 2 },
      },
    );
    assert.equal(states.offer('door', frame(3, 3), t0 + 3000), null, 'changed, but within 5 s of the last');
    assert.ok(
      states.offer('door', frame(3, 3), t0 + 5000),
      'the change goes with a frame after the interval',
    );
    assert.equal(states.offer('door', frame(3, 3), t0 + 11_000), null, 'unchanged');
    assert.ok(states.offer('till', frame(0, 0), t0 + 12_000), 'each camera on its own');
  });
});
