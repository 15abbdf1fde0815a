import { numberSetting } from '../settings/editor-fields';

/** yolo-detect's editor fields (strings from the form for the numbers; a flow may leave any out). */
export interface DetectFields {
  scoreThreshold?: string | number;
  iouThreshold?: string | number;
  detectEvery?: string | number;
  /** Missing in flows saved before it existed: on, as the default flow has it. */
  motionGate?: boolean;
}

export interface DetectSettings {
  scoreThreshold: number;
  iouThreshold: number;
  /** At most every Nth frame of a camera goes to the model. */
  detectEvery: number;
  motionGate: boolean;
}

/** yolo-detect's settings from its fields (a blank field: the default), or what is wrong with them. */
export function detectSettingsOf(fields: DetectFields): DetectSettings | string {
  const scoreThreshold = numberSetting(fields.scoreThreshold, 0.5);
  const iouThreshold = numberSetting(fields.iouThreshold, 0.7);
  const detectEvery = numberSetting(fields.detectEvery, 1);
  if (!(scoreThreshold > 0 && scoreThreshold < 1) || !(iouThreshold > 0 && iouThreshold <= 1)) {
    return 'confidence must be between 0 and 1 (exclusive), NMS IoU between 0 and 1';
  }
  if (!(Number.isInteger(detectEvery) && detectEvery >= 1 && detectEvery <= 100)) {
    return '"detect every" must be a whole number of frames from 1 to 100';
  }
  return { scoreThreshold, iouThreshold, detectEvery, motionGate: fields.motionGate !== false };
}
