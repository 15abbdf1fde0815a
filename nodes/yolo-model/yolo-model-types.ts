import type { Node } from 'node-red';
import type { SharedDetector } from '../lib/yolo/shared-detector';

/** What yolo-detect nodes get from their yolo-model config node. */
export interface YoloModelNode extends Node {
  /** A shared detector for this model, or an explanation of why there is none. */
  acquireDetector(): SharedDetector | Error;
  releaseDetector(detector: SharedDetector): Promise<void>;
  modelPath: string;
}
