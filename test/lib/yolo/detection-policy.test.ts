import assert from 'node:assert/strict';
import { CameraDetectionPolicy, DEFAULT_DETECTION_POLICY } from '../../../nodes/lib/yolo/detection-policy';

const policy = (o = {}) => new CameraDetectionPolicy({ ...DEFAULT_DETECTION_POLICY, ...o });

describe('detection policy (when a camera frame is worth the model)', () => {
  it('detect every N is a ceiling: at most every Nth frame, counted from the request', () => {
    const p = policy({ detectEvery: 3, motionGate: false });
    const asked = Array.from({ length: 9 }, (_, i) => p.decide(i * 100, true).detect);
    assert.deepEqual(asked, [true, false, false, true, false, false, true, false, false]);
  });

  it('a keep-alive or refresh on its way is enough: the frames behind it do not ask again', () => {
    const p = policy();
    assert.deepEqual(p.decide(0, false), { detect: true, urgency: 'refresh' });
    for (let t = 100; t < 1000; t += 100) assert.equal(p.decide(t, false).detect, false, `at ${t} ms`);
    // Motion still asks at once (the newer frame replaces the waiting one).
    assert.equal(p.decide(1000, true).detect, true);
    p.answered(0, null); // the first was replaced
    p.answered(1000, 0);
    assert.equal(p.decide(1100, false).detect, false);
  });

  it('with the motion gate: a still, empty view is idle, refreshed now and then as low priority', () => {
    const p = policy();
    assert.deepEqual(p.decide(0, false), { detect: true, urgency: 'refresh' }); // never detected yet
    p.answered(0, 0);
    for (let t = 100; t < 5000; t += 100) {
      assert.deepEqual(p.decide(t, false), { detect: false, reason: 'no-motion' }, `at ${t} ms`);
    }
    assert.deepEqual(p.decide(5000, false), { detect: true, urgency: 'refresh' });
  });

  it('motion asks at once; people standing still are kept alive every 4 s, at low priority', () => {
    const p = policy();
    p.decide(0, false);
    p.answered(0, 0);
    assert.deepEqual(p.decide(100, true), { detect: true, urgency: 'active' });
    p.answered(100, 2);
    assert.equal(p.decide(3500, false).detect, false);
    assert.deepEqual(p.decide(4100, false), { detect: true, urgency: 'refresh' });
  });
});
