import sharp from '../image/sharp';
import { isJpeg } from '../image/jpeg-splitter';
import type { GreyFrame } from './motion-detector';

/**
 * A camera's JPEG frame as a small grey picture `width` pixels wide (height to keep the aspect), for
 * the motion detector.
 *
 * Cheap because libvips decodes the JPEG at 1/2, 1/4 or 1/8 scale inside libjpeg's DCT (shrink-on-
 * load), which skips most of the inverse DCT and colour conversion of a full decode; the entropy
 * decoding of every coefficient stays, and with sharp's fixed cost per call it is most of what is
 * left. sharp halves the load scale when the factor is exactly 2, 4 or 8 (libjpeg rounds those
 * sizes), so 768 -> 96 px loads at 1/4 and reduces by 2, and only widths of at most 1/9 of the frame
 * load at 1/8. The reduce is linear: it averages the noise of the pixels it merges.
 *
 * Grey is computed here, after the resize, not with sharp's greyscale(): sharp converts colour
 * before it resizes, at the shrink-on-load size and through libvips' floating-point colour path,
 * which costs more than the few thousand integer sums below.
 */
export async function greyThumbnail(jpeg: Buffer, width: number): Promise<GreyFrame> {
  if (!(Number.isInteger(width) && width > 0)) {
    throw new Error(`a thumbnail needs a whole width in pixels, not ${width}`);
  }
  if (!isJpeg(jpeg)) {
    const input: unknown = jpeg;
    const what = Buffer.isBuffer(input) ? `${input.length} bytes without a JPEG start marker` : typeof input;
    throw new Error(`not a JPEG: ${what}`);
  }
  let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    decoded = await sharp(jpeg).resize({ width, kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new Error(`not a JPEG that can be decoded: ${(err as Error).message}`);
  }
  const { data, info } = decoded;
  const pixels = info.width * info.height;
  if (info.channels < 3) {
    // Already grey (a greyscale JPEG), perhaps with alpha: the first band is the grey.
    const grey = info.channels === 1 ? data : data.filter((_, i) => i % info.channels === 0);
    return { data: new Uint8Array(grey.buffer, grey.byteOffset, pixels), width: info.width, height: info.height };
  }
  const grey = new Uint8Array(pixels);
  const step = info.channels;
  // ITU-R BT.601 luma in 8-bit fixed point (weights sum to 256), as JPEG's own Y channel.
  for (let i = 0, j = 0; i < pixels; i++, j += step) {
    grey[i] = (77 * data[j] + 150 * data[j + 1] + 29 * data[j + 2] + 128) >> 8;
  }
  return { data: grey, width: info.width, height: info.height };
}
