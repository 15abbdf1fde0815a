import assert from 'node:assert/strict';
import { initiate, predict, toBox, update } from '../../../nodes/lib/track/kalman';

describe('Kalman filter (constant velocity, time-based)', () => {
  it('predicts motion from the velocity it has learned, in seconds', () => {
    let s = initiate([100, 100, 40, 100]);
    for (let i = 1; i <= 10; i++) s = update(predict(s, 0.1), [100 + 5 * i, 100, 40, 100]); // 50 px/s
    const oneSecond = predict(s, 1);
    assert.ok(Math.abs(oneSecond.mean[0] - 200) < 5, `predicted x ${oneSecond.mean[0]}`);
    assert.ok(Math.abs(s.mean[4] - 50) < 5, `velocity ${s.mean[4]} px/s`);
    // Uncertainty grows while predicting and shrinks with a measurement.
    assert.ok(oneSecond.covariance[0][0] > s.covariance[0][0]);
    assert.ok(update(oneSecond, [200, 100, 40, 100]).covariance[0][0] < oneSecond.covariance[0][0]);
    assert.deepEqual(toBox([10, 20, 4, 8]), [8, 16, 12, 24]);
  });
});
