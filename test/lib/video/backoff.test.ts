import assert from 'node:assert/strict';
import { reconnectDelayMs } from '../../../nodes/lib/video/backoff';

describe('reconnect backoff', () => {
  it('waits 5 s first, as the app we replace did, then doubles up to a 60 s cap', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((n) => reconnectDelayMs(n)),
      [5000, 10000, 20000, 40000, 60000, 60000, 60000],
    );
  });

  it('stays at the cap for an outage of any length', () => {
    assert.equal(reconnectDelayMs(10000), 60000);
    assert.equal(reconnectDelayMs(-3), 5000);
  });

  it('follows a custom policy', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((n) => reconnectDelayMs(n, { initialMs: 100, factor: 3, maxMs: 1000 })),
      [100, 300, 900, 1000],
    );
  });
});
