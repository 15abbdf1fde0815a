import type { Box } from '../geometry/box';

/** The output layouts this decoder understands. */
export type YoloLayout =
  /** Ultralytics YOLOv8/YOLO11: [1, 4+nc, N], per anchor cx, cy, w, h then one score per class. */
  | 'yolov8'
  /** YOLOv5: [1, N, 5+nc], per anchor cx, cy, w, h, objectness, then class scores. */
  | 'yolov5'
  /** End-to-end exports with NMS inside (YOLOv10, YOLO26, ...): [1, N, 6] x1, y1, x2, y2, score, class. */
  | 'end2end';

/** A detection in model-input pixels, before it is mapped back to the frame. */
export interface RawDetection {
  box: Box;
  score: number;
  classId: number;
}

export interface DecodeOptions {
  /** Number of classes the model was trained on (from its metadata), or 0 when unknown. */
  numClasses: number;
  scoreThreshold: number;
  /** Class ids to keep; null keeps every class. */
  classes: ReadonlySet<number> | null;
}

/**
 * Tells the layout from the output's shape. With the class count known the check is exact;
 * without it YOLOv8's channel-first shape is recognised by having fewer rows than anchors.
 */
export function detectLayout(dims: readonly number[], numClasses: number): YoloLayout {
  if (dims.length !== 3 || dims[0] !== 1) {
    throw new Error(`not a YOLO detection model: output shape [${dims.join(', ')}] is not [1, a, b]`);
  }
  const [, a, b] = dims;
  if (numClasses > 0) {
    if (a === 4 + numClasses) return 'yolov8';
    if (b === 5 + numClasses) return 'yolov5';
    if (b === 6) return 'end2end';
  } else {
    if (b === 6 && a > 6) return 'end2end';
    if (a < b && a > 4) return 'yolov8';
    if (b > 5) return 'yolov5';
  }
  throw new Error(
    `not a YOLO detection model: output shape [${dims.join(', ')}] fits none of [1, 4+nc, N], [1, N, 5+nc], [1, N, 6]` +
      (numClasses > 0 ? ` with ${numClasses} classes` : ''),
  );
}

/** Decodes one output tensor into detections above the threshold (no NMS yet). */
export function decodeYoloOutput(
  data: Float32Array,
  dims: readonly number[],
  options: DecodeOptions,
  /** Pass it when already known (the detector finds it once per model output). */
  layout: YoloLayout = detectLayout(dims, options.numClasses),
): RawDetection[] {
  switch (layout) {
    case 'yolov8':
      return decodeYolov8(data, dims[1], dims[2], options);
    case 'yolov5':
      return decodeYolov5(data, dims[1], dims[2], options);
    case 'end2end':
      return decodeEnd2End(data, dims[1], options);
  }
}

function fromCenter(cx: number, cy: number, w: number, h: number): Box {
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

function decodeYolov8(data: Float32Array, rows: number, anchors: number, o: DecodeOptions): RawDetection[] {
  const numClasses = rows - 4;
  const wanted = o.classes ? [...o.classes].filter((c) => c < numClasses) : null;
  const out: RawDetection[] = [];
  for (let i = 0; i < anchors; i++) {
    // data[row * anchors + i]: rows 0..3 are cx, cy, w, h; row 4 + c is the score of class c.
    let best = -1;
    let bestScore = o.scoreThreshold;
    if (wanted) {
      for (const c of wanted) {
        const s = data[(4 + c) * anchors + i];
        if (s >= bestScore) {
          bestScore = s;
          best = c;
        }
      }
    } else {
      for (let c = 0; c < numClasses; c++) {
        const s = data[(4 + c) * anchors + i];
        if (s >= bestScore) {
          bestScore = s;
          best = c;
        }
      }
    }
    if (best < 0) continue;
    out.push({
      box: fromCenter(data[i], data[anchors + i], data[2 * anchors + i], data[3 * anchors + i]),
      score: bestScore,
      classId: best,
    });
  }
  return out;
}

function decodeYolov5(data: Float32Array, anchors: number, cols: number, o: DecodeOptions): RawDetection[] {
  const numClasses = cols - 5;
  const out: RawDetection[] = [];
  for (let i = 0; i < anchors; i++) {
    // data[i * cols + k]: k 0..3 cx, cy, w, h; 4 objectness; 5 + c the score of class c.
    const row = i * cols;
    const objectness = data[row + 4];
    if (objectness < o.scoreThreshold) continue;
    let best = -1;
    let bestScore = o.scoreThreshold;
    for (let c = 0; c < numClasses; c++) {
      if (o.classes && !o.classes.has(c)) continue;
      const s = objectness * data[row + 5 + c];
      if (s >= bestScore) {
        bestScore = s;
        best = c;
      }
    }
    if (best < 0) continue;
    out.push({
      box: fromCenter(data[row], data[row + 1], data[row + 2], data[row + 3]),
      score: bestScore,
      classId: best,
    });
  }
  return out;
}

function decodeEnd2End(data: Float32Array, rows: number, o: DecodeOptions): RawDetection[] {
  const out: RawDetection[] = [];
  for (let i = 0; i < rows; i++) {
    // data[i * 6 + k]: x1, y1, x2, y2, score, class id.
    const row = i * 6;
    const score = data[row + 4];
    const classId = Math.round(data[row + 5]);
    if (score < o.scoreThreshold || (o.classes && !o.classes.has(classId))) continue;
    out.push({ box: [data[row], data[row + 1], data[row + 2], data[row + 3]], score, classId });
  }
  return out;
}
