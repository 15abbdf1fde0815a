import type { NodeMessage } from 'node-red';
import type { Detection } from '../lib/yolo/detector';
import type { CameraDetectionStats } from '../lib/yolo/detection-stats';

export type { CameraDetectionStats };

export interface DetectorInfo {
  model: string;
  /** Time spent in each step for this frame (ms). */
  decodeMs: number;
  inferenceMs: number;
  postprocessMs: number;
  /** The model input this frame ran at (Input size: its camera's aspect at the long side in use). */
  input: { width: number; height: number };
}

export interface DetectionsMessage extends NodeMessage {
  detections: Detection[];
  detector: DetectorInfo;
  detectionStats: CameraDetectionStats;
}

/** A frame the model did not see: no detections; the tracker moves its tracks by prediction. */
export interface SkippedFrameMessage extends NodeMessage {
  detectionSkipped: true;
  /**
   * Why: 'interval' (the "detect every N" ceiling), 'no-motion' (the motion gate), 'load' (a newer
   * frame of the camera took its place while the model was busy), 'timeout' (no answer in 2 s),
   * 'error' (the detector failed on it; reported with node.error).
   */
  skippedBecause: string;
  detectionStats: CameraDetectionStats;
}
