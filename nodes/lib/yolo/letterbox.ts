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

export type Box = [x1: number, y1: number, x2: number, y2: number];

/**
 * Maps a box in model-input pixels back to source-frame pixels, clipped to the frame (one gain for
 * both axes, as Ultralytics' scale_boxes does).
 */
export function toSourceBox(box: Readonly<Box>, lb: Letterbox): Box {
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
export function toInputBox(box: Readonly<Box>, lb: Letterbox): Box {
  const s = lb.scale;
  return [box[0] * s + lb.padLeft, box[1] * s + lb.padTop, box[2] * s + lb.padLeft, box[3] * s + lb.padTop];
}

/**
 * Interleaved RGB bytes (HWC, as decoders give them) to the planar float tensor YOLO takes
 * (CHW, RGB, 0..1), written into `out` (length 3*H*W) to avoid a new allocation per frame.
 */
export function hwcRgbToChwFloat(
  rgb: Uint8Array,
  width: number,
  height: number,
  out: Float32Array,
): Float32Array {
  const plane = width * height;
  if (rgb.length < plane * 3 || out.length < plane * 3) throw new Error('pixel buffer size does not match');
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    out[i] = rgb[p] / 255; // R plane: out[0*plane + y*W + x]
    out[plane + i] = rgb[p + 1] / 255; // G plane: out[1*plane + y*W + x]
    out[2 * plane + i] = rgb[p + 2] / 255; // B plane: out[2*plane + y*W + x]
  }
  return out;
}
