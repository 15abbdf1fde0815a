import assert from 'node:assert/strict';
import { RateMeter } from '../../../nodes/lib/time/rate-meter';

describe('rate meter', () => {
  it('tells events per second since the last reading, then starts again', () => {
    const meter = new RateMeter();
    const start = Date.now();
    meter.perSecond(start);
    for (let i = 0; i < 5; i++) meter.tick();
    assert.equal(meter.perSecond(start + 500), 10);
    assert.equal(meter.perSecond(start + 1500), 0);
  });

  it('gives 0 when no time passed', () => {
    const meter = new RateMeter();
    const now = Date.now();
    meter.perSecond(now);
    meter.tick();
    assert.equal(meter.perSecond(now), 0);
  });
});
