import type { ReadonlyBox } from '../geometry/box';
import type { RawPicture } from './raw-picture';

export interface BackgroundOptions {
  /** Samples the median is taken over (each an RGB picture and the mask of where people were). */
  samples: number;
  /** Each person box grows by this share of its size on every side before it is masked. */
  margin: number;
  /** No picture before this many samples: one frame alone would show anyone the detector missed. */
  minSamples: number;
  /**
   * A pixel is taken from the samples only where at least this many (and a third of those held) saw
   * it free: a person missed once, where everybody else was masked, is not the median of one.
   */
  minVotes: number;
}

export const DEFAULT_BACKGROUND: BackgroundOptions = {
  samples: 15,
  margin: 0.15,
  minSamples: 5,
  minVotes: 3,
};

/**
 * A person-free picture of a camera's view: the per-pixel median of the last few sampled frames,
 * each taken only where the detector saw nobody. Pixels inside (a margin around) every detected or
 * tracked person are never stored, so no sample holds a picture of a shopper; a person the detector
 * missed in one sample is outvoted by the others. A frame with people still gives the rest of the
 * view (in a busy store a frame without anybody may never come).
 */
export class BackgroundModel {
  private readonly pixels: Uint8Array[] = [];
  /** Per sample and pixel: 1 where the sample saw the view, 0 where a person was. */
  private readonly seen: Uint8Array[] = [];
  private next = 0;
  private last: Uint8Array | null = null;
  private sampled = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly options: BackgroundOptions = DEFAULT_BACKGROUND,
  ) {
    if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
      throw new Error(`a background needs a whole size, not ${width}x${height}`);
    }
  }

  get minSamples(): number {
    return this.options.minSamples;
  }

  /** Samples taken so far (all, not only those still in the median). */
  get frames(): number {
    return this.sampled;
  }

  /**
   * Adds a sample: RGB pixels of this model's size, and the people in it as boxes in the
   * coordinates of a frame `frameWidth` x `frameHeight` (the pipeline's frame, scaled down here).
   */
  add(rgb: Uint8Array, boxes: readonly ReadonlyBox[], frameWidth: number, frameHeight: number): void {
    const { width, height } = this;
    if (rgb.length !== width * height * 3) {
      throw new Error(`a background sample must be ${width}x${height} RGB, not ${rgb.length} bytes`);
    }
    const seen = new Uint8Array(width * height).fill(1);
    const sx = width / frameWidth;
    const sy = height / frameHeight;
    const pixels = Uint8Array.from(rgb);
    for (const [x1, y1, x2, y2] of boxes) {
      const mx = (x2 - x1) * this.options.margin;
      const my = (y2 - y1) * this.options.margin;
      const left = Math.max(0, Math.floor((x1 - mx) * sx));
      const right = Math.min(width, Math.ceil((x2 + mx) * sx));
      const top = Math.max(0, Math.floor((y1 - my) * sy));
      const bottom = Math.min(height, Math.ceil((y2 + my) * sy));
      for (let y = top; y < bottom; y++) {
        seen.fill(0, y * width + left, y * width + Math.max(left, right));
        // The person's pixels are wiped, not only skipped: nothing of them stays in memory.
        pixels.fill(0, (y * width + left) * 3, (y * width + Math.max(left, right)) * 3);
      }
    }
    if (this.pixels.length < this.options.samples) {
      this.pixels.push(pixels);
      this.seen.push(seen);
    } else {
      this.pixels[this.next] = pixels;
      this.seen[this.next] = seen;
      this.next = (this.next + 1) % this.options.samples;
    }
    this.sampled++;
  }

  /**
   * The median picture (raw RGB), or null before `minSamples` samples. A pixel too few samples saw
   * free keeps its last median, or dark grey when it never had one.
   */
  picture(): RawPicture | null {
    if (this.pixels.length === 0 || this.sampled < this.options.minSamples) return null;
    const votes = Math.max(this.options.minVotes, Math.ceil(this.pixels.length / 3));
    const count = this.width * this.height;
    const out = new Uint8Array(count * 3);
    const values = new Uint8Array(this.pixels.length);
    for (let p = 0; p < count; p++) {
      for (let c = 0; c < 3; c++) {
        let n = 0;
        for (let s = 0; s < this.pixels.length; s++) {
          if (this.seen[s][p] === 0) continue;
          // Insertion into the sorted values so far (at most `samples` of them).
          const v = this.pixels[s][p * 3 + c];
          let i = n++;
          while (i > 0 && values[i - 1] > v) {
            values[i] = values[i - 1];
            i--;
          }
          values[i] = v;
        }
        out[p * 3 + c] =
          n < votes
            ? (this.last?.[p * 3 + c] ?? 48)
            : n % 2 === 1
              ? values[n >> 1]
              : (values[(n >> 1) - 1] + values[n >> 1] + 1) >> 1;
      }
    }
    this.last = out;
    return { width: this.width, height: this.height, pixels: Buffer.from(out.buffer) };
  }
}

/** The size of a background for a frame: at most `maxWidth` wide, the frame's aspect kept. */
export function backgroundSize(
  frameWidth: number,
  frameHeight: number,
  maxWidth = 320,
): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / frameWidth);
  return {
    width: Math.max(1, Math.round(frameWidth * scale)),
    height: Math.max(1, Math.round(frameHeight * scale)),
  };
}
