import type { Box, ReadonlyBox } from '../geometry/box';

/**
 * Letterboxing as Ultralytics trains and predicts: the frame is scaled to fit the model input with
 * its aspect ratio kept, then padded equally on both sides with grey 114.
 */
export interface Letterbox {
  sourceWidth: number;
  sourceHeight: number;
  inputWidth: number;
  inputHeight: number;
  /** Source pixels to model-input pixels. */
  scale: number;
  /** Size of the scaled frame inside the input. */
  scaledWidth: number;
  scaledHeight: number;
  padLeft: number;
  padTop: number;
  padRight: number;
  padBottom: number;
}

export const LETTERBOX_GREY = 114;

/** The coarsest stride of a YOLO model: the sides of an input it runs at are multiples of it. */
export const MODEL_STRIDE = 32;

/**
 * The long side a free-size model's input is sized to while the model keeps up (the larger side of
 * yolo-model's Input size auto): on the demo clip it finds people as 640 does at about half the
 * inference time (docs/performance.md).
 */
export const DEFAULT_INPUT_SIDE = 512;

/**
 * The model input for a camera when the model takes any size (a head cut, or an export made with
 * dynamic=True): the frame scaled so its long side is `longSide`, each side then rounded up to a
 * multiple of the stride, as Ultralytics' letterbox with auto=True. A 4:3 camera at 512 gets
 * 512x384 (no padding at all) instead of a 640x640 square whose quarter is grey.
 */
export function inputSizeFor(
  sourceWidth: number,
  sourceHeight: number,
  longSide: number,
): { width: number; height: number } {
  if (!(sourceWidth > 0 && sourceHeight > 0))
    throw new Error(`bad frame size ${sourceWidth}x${sourceHeight}`);
  if (!(longSide >= MODEL_STRIDE && longSide % MODEL_STRIDE === 0)) {
    throw new Error(`the model's input side must be a multiple of ${MODEL_STRIDE}: got ${longSide}`);
  }
  const scale = longSide / Math.max(sourceWidth, sourceHeight);
  const up = (v: number) =>
    Math.max(MODEL_STRIDE, Math.ceil(Math.round(v * scale) / MODEL_STRIDE) * MODEL_STRIDE);
  return { width: up(sourceWidth), height: up(sourceHeight) };
}

export function letterboxFor(
  sourceWidth: number,
  sourceHeight: number,
  inputWidth: number,
  inputHeight: number,
): Letterbox {
  if (!(sourceWidth > 0 && sourceHeight > 0))
    throw new Error(`bad frame size ${sourceWidth}x${sourceHeight}`);
  const scale = Math.min(inputWidth / sourceWidth, inputHeight / sourceHeight);
  const scaledWidth = Math.min(inputWidth, Math.round(sourceWidth * scale));
  const scaledHeight = Math.min(inputHeight, Math.round(sourceHeight * scale));
  const dw = (inputWidth - scaledWidth) / 2;
  const dh = (inputHeight - scaledHeight) / 2;
  // Ultralytics rounds (d - 0.1) and (d + 0.1) so an odd padding puts the extra pixel right/bottom.
  const padLeft = Math.max(0, Math.round(dw - 0.1));
  const padTop = Math.max(0, Math.round(dh - 0.1));
  return {
    sourceWidth,
    sourceHeight,
    inputWidth,
    inputHeight,
    scale,
    scaledWidth,
    scaledHeight,
    padLeft,
    padTop,
    padRight: inputWidth - scaledWidth - padLeft,
    padBottom: inputHeight - scaledHeight - padTop,
  };
}

/**
 * Maps a box in model-input pixels back to source-frame pixels, clipped to the frame (one gain for
 * both axes, as Ultralytics' scale_boxes does).
 */
export function toSourceBox(box: ReadonlyBox, lb: Letterbox): Box {
  const sx = lb.scale;
  const sy = lb.scale;
  const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
  return [
    clip((box[0] - lb.padLeft) / sx, lb.sourceWidth),
    clip((box[1] - lb.padTop) / sy, lb.sourceHeight),
    clip((box[2] - lb.padLeft) / sx, lb.sourceWidth),
    clip((box[3] - lb.padTop) / sy, lb.sourceHeight),
  ];
}

/** Maps a box in source-frame pixels into model-input pixels (the inverse of toSourceBox). */
export function toInputBox(box: ReadonlyBox, lb: Letterbox): Box {
  const s = lb.scale;
  return [box[0] * s + lb.padLeft, box[1] * s + lb.padTop, box[2] * s + lb.padLeft, box[3] * s + lb.padTop];
}

/** Byte value to the 0..1 float the model takes: a table lookup instead of a division per byte. */
const UNIT_FLOAT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * The scaled frame (interleaved RGB bytes, `lb.scaledWidth` x `lb.scaledHeight`, as decoders give
 * them) to the planar float tensor YOLO takes (CHW, RGB, 0..1) with the grey bars of the letterbox
 * around it, written into `out` (length 3 x input height x input width) to avoid a new allocation
 * per frame. Drawing the bars here, while every value is written anyway, saves the image library a
 * padded copy of the frame (~3 ms of a ~13 ms letterbox, measured).
 */
export function letterboxedChwFloat(scaled: Uint8Array, lb: Letterbox, out: Float32Array): Float32Array {
  const { inputWidth: iw, inputHeight: ih, scaledWidth: sw, scaledHeight: sh, padLeft, padTop } = lb;
  const plane = iw * ih;
  if (scaled.length < sw * sh * 3 || out.length < plane * 3)
    throw new Error('pixel buffer size does not match');
  out.fill(UNIT_FLOAT[LETTERBOX_GREY]);
  const r = out.subarray(0, plane);
  const g = out.subarray(plane, 2 * plane);
  const b = out.subarray(2 * plane, 3 * plane);
  for (let y = 0; y < sh; y++) {
    // Row y of the scaled frame lands on row padTop + y of the input, from column padLeft.
    for (let x = 0, p = y * sw * 3, i = (padTop + y) * iw + padLeft; x < sw; x++, p += 3, i++) {
      r[i] = UNIT_FLOAT[scaled[p]];
      g[i] = UNIT_FLOAT[scaled[p + 1]];
      b[i] = UNIT_FLOAT[scaled[p + 2]];
    }
  }
  return out;
}
