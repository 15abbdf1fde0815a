import assert from 'node:assert/strict';
import { detectSettingsOf } from '../../../nodes/lib/yolo/detect-settings';

describe("detect settings (yolo-detect's fields)", () => {
  it('takes the defaults for blank fields, with the motion gate on in a flow saved before it existed', () => {
    assert.deepEqual(detectSettingsOf({}), {
      scoreThreshold: 0.5,
      iouThreshold: 0.7,
      detectEvery: 1,
      motionGate: true,
    });
    assert.deepEqual(detectSettingsOf({ scoreThreshold: '0.3', detectEvery: '3', motionGate: false }), {
      scoreThreshold: 0.3,
      iouThreshold: 0.7,
      detectEvery: 3,
      motionGate: false,
    });
  });

  it('says what is out of range', () => {
    assert.match(String(detectSettingsOf({ scoreThreshold: 1 })), /confidence must be between 0 and 1/);
    assert.match(String(detectSettingsOf({ iouThreshold: 0 })), /NMS IoU between 0 and 1/);
    assert.match(String(detectSettingsOf({ detectEvery: 2.5 })), /"detect every" must be a whole number/);
    assert.match(String(detectSettingsOf({ detectEvery: 101 })), /from 1 to 100/);
  });
});
