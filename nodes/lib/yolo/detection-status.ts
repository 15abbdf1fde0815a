import type { DetectionSummary } from './camera-lanes';

/** What yolo-detect's status says once a second: idle when no camera moved, else its figures. */
export function detectionStatus(s: DetectionSummary): { state: 'idle' | 'ok'; text: string } {
  if (s.idleCameras === s.cameras) {
    return {
      state: 'idle',
      text: s.cameras === 1 ? 'idle (no motion)' : `idle (no motion), ${s.idleCameras} cameras`,
    };
  }
  const idle = s.idleCameras ? ` (${s.idleCameras} idle)` : '';
  const cameras = s.cameras === 1 ? '' : `, ${s.cameras} cameras${idle}`;
  return {
    state: 'ok',
    text:
      `${s.detectionsPerSecond.toFixed(1)} detections/s of ${s.framesPerSecond.toFixed(0)} fps, ` +
      `${Math.round(s.lastInferenceMs)} ms${cameras}, dropped ${s.droppedByLoad}`,
  };
}
