import assert from 'node:assert/strict';
import { CameraDetectionPolicy, DEFAULT_DETECTION_POLICY } from '../../nodes/lib/yolo/detection-policy';

const policy = (o = {}) => new CameraDetectionPolicy({ ...DEFAULT_DETECTION_POLICY, ...o });

describe('detection policy (when a camera frame is worth the model)', () => {
  it('detect every N is a ceiling: at most every Nth frame, counted from the request', () => {
    const p = policy({ detectEvery: 3, motionGate: false });
    const asked = Array.from({ length: 9 }, (_, i) => p.decide(i * 100, true).detect);
    assert.deepEqual(asked, [true, false, false, true, false, false, true, false, false]);
  });

  it('a request passed over under load lets the next frame ask at once', () => {
    const p = policy({ detectEvery: 4, motionGate: false });
    assert.equal(p.decide(0, true).detect, true);
    p.passedOver();
    assert.equal(p.decide(100, true).detect, true);
  });

  it('with the motion gate: a still, empty view is idle, refreshed now and then as low priority', () => {
    const p = policy();
    assert.deepEqual(p.decide(0, false), { detect: true, urgency: 'refresh' }); // never detected yet
    p.detected(0, 0);
    for (let t = 100; t < 5000; t += 100) {
      assert.deepEqual(p.decide(t, false), { detect: false, reason: 'no-motion' }, `at ${t} ms`);
    }
    assert.deepEqual(p.decide(5000, false), { detect: true, urgency: 'refresh' });
  });

  it('motion asks at once; people standing still are kept alive every 2 s, at low priority', () => {
    const p = policy();
    p.decide(0, false);
    p.detected(0, 0);
    assert.deepEqual(p.decide(100, true), { detect: true, urgency: 'active' });
    p.detected(100, 2);
    assert.equal(p.decide(1500, false).detect, false);
    assert.deepEqual(p.decide(2100, false), { detect: true, urgency: 'refresh' });
  });
});
