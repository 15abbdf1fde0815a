import type { NodeMessage } from 'node-red';
import type { Detection } from '../lib/yolo/detector';

export interface DetectorInfo {
  model: string;
  /** Time spent in each step for this frame (ms). */
  decodeMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

export interface DetectionsMessage extends NodeMessage {
  detections: Detection[];
  detector: DetectorInfo;
}

/** A frame "detect every N frames" passed over: no detections; the tracker predicts instead. */
export interface SkippedFrameMessage extends NodeMessage {
  detectionSkipped: true;
}
