import assert from 'node:assert/strict';
import { ErrorThrottle } from '../../../nodes/lib/yolo/error-throttle';

describe('error throttle (a failing detector reports now and then)', () => {
  it('reports the first error, then none until the interval is over', () => {
    const errors = new ErrorThrottle(10000);
    assert.equal(errors.report(1000), true);
    assert.equal(errors.report(5000), false);
    assert.equal(errors.report(10999), false);
    assert.equal(errors.report(11000), true);
  });

  it('keeps a shown error in the status for the interval, then lets the figures back', () => {
    const errors = new ErrorThrottle(10000);
    assert.equal(errors.showing(0), false, 'nothing shown yet');
    errors.report(1000, 'the model broke');
    assert.equal(errors.showing(2000), true);
    assert.equal(errors.showing(11000), false);
    assert.equal(errors.showing(11500), false, 'forgotten once over');
  });

  it('shows nothing for an error reported without a status text', () => {
    const errors = new ErrorThrottle(10000);
    errors.report(1000);
    assert.equal(errors.showing(2000), false);
  });
});
