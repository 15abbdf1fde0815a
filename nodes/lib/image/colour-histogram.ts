/**
 * A cheap appearance cue for re-identifying a person: the colour histogram of their torso (the
 * middle of the box, where clothing colour is most stable and the background least), RGB quantised
 * to 4 levels per channel (64 bins), normalised to sum 1.
 */
export const HISTOGRAM_BINS = 64;

export function torsoHistogram(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: readonly [number, number, number, number],
): number[] | null {
  const [x1, y1, x2, y2] = box;
  const w = x2 - x1;
  const h = y2 - y1;
  // Torso: the central 60% of the width, from 15% to 55% of the height.
  const left = Math.max(0, Math.floor(x1 + 0.2 * w));
  const right = Math.min(width, Math.ceil(x2 - 0.2 * w));
  const top = Math.max(0, Math.floor(y1 + 0.15 * h));
  const bottom = Math.min(height, Math.ceil(y1 + 0.55 * h));
  if (right - left < 2 || bottom - top < 2) return null;
  const hist = new Array<number>(HISTOGRAM_BINS).fill(0);
  let n = 0;
  for (let y = top; y < bottom; y++) {
    for (let x = left, p = (y * width + left) * 3; x < right; x++, p += 3) {
      // rgb[(y * width + x) * 3 + c]: interleaved R, G, B bytes.
      hist[((rgb[p] >> 6) << 4) | ((rgb[p + 1] >> 6) << 2) | (rgb[p + 2] >> 6)]++;
      n++;
    }
  }
  return hist.map((v) => Math.round((v / n) * 1e4) / 1e4);
}

/** Bhattacharyya coefficient of two normalised histograms: 1 for identical, 0 for disjoint. */
export function histogramSimilarity(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.sqrt(a[i] * b[i]);
  return Math.min(1, sum);
}
