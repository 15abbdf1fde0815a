import type { DecodeOptions, RawDetection } from './decode';

/**
 * Decoding of a head-cut YOLOv8/YOLO11 model (npm run model): the Detect head's per-level outputs,
 * before the export's own decode. Each level is [1, 64 + nc, H/s, W/s] for its stride s: channels
 * 0..63 are the distribution (DFL) of each box side's distance from the cell centre in 16 bins
 * (left, top, right, bottom), then one logit per class. The full export decodes all 8,400 cells of
 * 640x640 into boxes and 80 sigmoids each; here only cells whose wanted class passes the threshold
 * are decoded (a handful of the ~4,000 at 512x384), and the threshold is compared in logit space so
 * that the sigmoid runs for those cells only.
 */

/** Bins per box side in Ultralytics' DFL (reg_max). */
export const DFL_BINS = 16;
/** Box channels at the start of each level: 4 sides (left, top, right, bottom) x DFL_BINS bins. */
export const BOX_CHANNELS = 4 * DFL_BINS;

/** One level's output as ONNX Runtime gives it. */
export interface LevelOutput {
  data: Float32Array;
  /** [1, 64 + nc, height / stride, width / stride] */
  dims: readonly number[];
}

/** The logit whose sigmoid is p: the score threshold in the space the model answers in. */
export function logit(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  return Math.log(p / (1 - p));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Whether a model's outputs are a head cut's levels: several four-dimensional outputs, each with
 * more than the 64 box channels.
 */
export function isLevelLayout(outputDims: ReadonlyArray<readonly (number | string)[]>): boolean {
  return (
    outputDims.length >= 2 &&
    outputDims.every((d) => d.length === 4 && (typeof d[1] !== 'number' || d[1] > BOX_CHANNELS))
  );
}

/**
 * Detections (in model-input pixels, before NMS) from the per-level outputs of a model run at
 * `inputWidth` x `inputHeight`. Each level's stride is the input's size over its grid's.
 */
export function decodeLevels(
  levels: readonly LevelOutput[],
  inputWidth: number,
  inputHeight: number,
  options: DecodeOptions,
): RawDetection[] {
  const out: RawDetection[] = [];
  for (const level of levels) decodeLevel(level, inputWidth, inputHeight, options, out);
  return out;
}

function decodeLevel(
  { data, dims }: LevelOutput,
  inputWidth: number,
  inputHeight: number,
  o: DecodeOptions,
  out: RawDetection[],
): void {
  if (dims.length !== 4 || dims[0] !== 1) {
    throw new Error(`a level output must be [1, 64 + classes, h, w]: got [${dims.join(', ')}]`);
  }
  const [, channels, rows, cols] = dims;
  const stride = inputHeight / rows;
  if (!Number.isInteger(stride) || inputWidth / cols !== stride) {
    throw new Error(
      `a level output of ${cols}x${rows} cells does not divide the ${inputWidth}x${inputHeight} input evenly`,
    );
  }
  const numClasses = channels - BOX_CHANNELS;
  if (numClasses < 1 || (o.numClasses > 0 && numClasses !== o.numClasses)) {
    throw new Error(
      `a level output has ${channels} channels: expected 64 box channels and ` +
        `${o.numClasses > 0 ? o.numClasses : 'at least one'} class logits`,
    );
  }
  if (data.length !== channels * rows * cols) throw new Error('a level output is shorter than its shape');
  const cells = rows * cols;
  const wanted = o.classes
    ? [...o.classes].filter((c) => c >= 0 && c < numClasses)
    : Array.from({ length: numClasses }, (_, c) => c);
  const threshold = logit(o.scoreThreshold);
  for (let cell = 0; cell < cells; cell++) {
    // data[channel * cells + cell]: channel-first, as the convolution writes it.
    let best = -1;
    let bestLogit = threshold;
    for (const c of wanted) {
      const v = data[(BOX_CHANNELS + c) * cells + cell];
      if (v >= bestLogit) {
        bestLogit = v;
        best = c;
      }
    }
    if (best < 0) continue;
    const x = (cell % cols) + 0.5;
    const y = Math.floor(cell / cols) + 0.5;
    const left = sideDistance(data, 0, cell, cells);
    const top = sideDistance(data, 1, cell, cells);
    const right = sideDistance(data, 2, cell, cells);
    const bottom = sideDistance(data, 3, cell, cells);
    out.push({
      box: [(x - left) * stride, (y - top) * stride, (x + right) * stride, (y + bottom) * stride],
      score: sigmoid(bestLogit),
      classId: best,
    });
  }
}

/** The expected distance (in cells) of one box side: the softmax-weighted mean of its 16 bins. */
function sideDistance(data: Float32Array, side: number, cell: number, cells: number): number {
  const first = side * DFL_BINS * cells + cell;
  let max = -Infinity;
  for (let bin = 0; bin < DFL_BINS; bin++) max = Math.max(max, data[first + bin * cells]);
  let sum = 0;
  let weighted = 0;
  for (let bin = 0; bin < DFL_BINS; bin++) {
    const e = Math.exp(data[first + bin * cells] - max);
    sum += e;
    weighted += e * bin;
  }
  return weighted / sum;
}
