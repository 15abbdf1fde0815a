import sharp from '../image/sharp';
import { isJpeg } from '../image/jpeg-splitter';
import type { GreyFrame } from './motion-detector';

/**
 * The grey picture the motion gate looks at: 1/8 of a 768x576 camera. rtsp-in has ffmpeg make it
 * beside each JPEG (msg.frame.thumbnail); frames from elsewhere get one from greyThumbnail.
 */
export const MOTION_THUMBNAIL = { width: 96, height: 72 } as const;

/**
 * A camera's JPEG frame as a small grey picture `width` pixels wide (height to keep the aspect), for
 * the motion detector.
 *
 * libvips decodes the JPEG at 1/2, 1/4 or 1/8 scale inside libjpeg's DCT (shrink-on-load), which
 * skips most of the inverse DCT and colour conversion of a full decode. sharp loads at the largest
 * such scale below the integer part of the factor, guarding against libjpeg's rounding, so
 * 768 -> 96 px loads at 1/4 and then halves; 1/8 needs a factor of 9 or more (80 px). The entropy
 * decoding of every coefficient stays, and so does sharp's fixed cost per call: on the demo clip's
 * 54 kB frames this is ~2.5 ms of CPU (80 px: hardly less) against ~3.5 ms for a full colour decode.
 * A grey picture from the camera's ffmpeg, as a second output, costs a tenth of that.
 *
 * Grey is computed here, after the resize, not with sharp's greyscale(): sharp converts colour
 * before it resizes, at the shrink-on-load size and through libvips' floating-point colour path,
 * which costs ~0.8 ms more than the few thousand integer sums below (and ~3.5 ms at full size).
 */
export async function greyThumbnail(
  jpeg: Buffer,
  size: number | { readonly width: number; readonly height: number },
): Promise<GreyFrame> {
  // A width keeps the aspect; a width and height give exactly that size (as ffmpeg's thumbnail).
  const { width, height } = typeof size === 'number' ? { width: size, height: undefined } : size;
  for (const side of [width, height ?? 1]) {
    if (!(Number.isInteger(side) && side > 0)) {
      throw new Error(`a thumbnail needs a whole size in pixels, not ${side}`);
    }
  }
  if (!isJpeg(jpeg)) {
    const input: unknown = jpeg;
    const what = Buffer.isBuffer(input) ? `${input.length} bytes without a JPEG start marker` : typeof input;
    throw new Error(`not a JPEG: ${what}`);
  }
  let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    decoded = await sharp(jpeg)
      .resize(height ? { width, height, fit: 'fill', kernel: 'linear' } : { width, kernel: 'linear' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new Error(`not a JPEG that can be decoded: ${(err as Error).message}`);
  }
  const { data, info } = decoded;
  const pixels = info.width * info.height;
  const step = info.channels;
  const grey = new Uint8Array(pixels);
  if (step < 3) {
    // A greyscale JPEG: the first band is the grey already.
    for (let i = 0, j = 0; i < pixels; i++, j += step) grey[i] = data[j];
  } else {
    // ITU-R BT.601 luma in 8-bit fixed point (weights sum to 256), as JPEG's own Y channel.
    for (let i = 0, j = 0; i < pixels; i++, j += step) {
      grey[i] = (77 * data[j] + 150 * data[j + 1] + 29 * data[j + 2] + 128) >> 8;
    }
  }
  return { data: grey, width: info.width, height: info.height };
}

/**
 * The grey picture rtsp-in's ffmpeg made beside a JPEG (msg.frame.thumbnail: width, height and one
 * byte per pixel), when it is there and whole; null otherwise (the JPEG is then decoded small).
 */
export function greyFrameOf(thumbnail: unknown): GreyFrame | null {
  const t = thumbnail as { width?: unknown; height?: unknown; grey?: unknown } | null | undefined;
  if (!t || !Buffer.isBuffer(t.grey) || typeof t.width !== 'number' || typeof t.height !== 'number')
    return null;
  if (t.grey.length !== t.width * t.height) return null;
  return { data: t.grey, width: t.width, height: t.height };
}
