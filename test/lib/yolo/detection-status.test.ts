import assert from 'node:assert/strict';
import type { DetectionSummary } from '../../../nodes/lib/yolo/camera-lanes';
import { detectionStatus } from '../../../nodes/lib/yolo/detection-status';

const summary = (s: Partial<DetectionSummary>): DetectionSummary => ({
  cameras: 1,
  idleCameras: 0,
  detectionsPerSecond: 4.04,
  framesPerSecond: 12.4,
  droppedByLoad: 3,
  lastInferenceMs: 61.6,
  ...s,
});

describe('detection status (yolo-detect once a second)', () => {
  it('gives one camera its figures', () => {
    assert.deepEqual(detectionStatus(summary({})), {
      state: 'ok',
      text: '4.0 detections/s of 12 fps, 62 ms, dropped 3',
    });
  });

  it('names the cameras and the idle ones among them', () => {
    assert.equal(
      detectionStatus(summary({ cameras: 3, idleCameras: 1 })).text,
      '4.0 detections/s of 12 fps, 62 ms, 3 cameras (1 idle), dropped 3',
    );
  });

  it('says idle when no camera moved', () => {
    assert.deepEqual(detectionStatus(summary({ idleCameras: 1 })), {
      state: 'idle',
      text: 'idle (no motion)',
    });
    assert.equal(
      detectionStatus(summary({ cameras: 2, idleCameras: 2 })).text,
      'idle (no motion), 2 cameras',
    );
  });
});
