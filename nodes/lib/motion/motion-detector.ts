import { boxArea, boxGap, boxUnion, type Box } from '../geometry/box';

/**
 * A small greyscale picture of a camera's view, one byte per pixel, row by row: what the motion
 * detector compares. Small on purpose (64-128 px wide): motion is found at the scale of a person,
 * and every pixel costs a few operations per frame.
 */
export interface GreyFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Motion detector settings. Each is named for what it means; the comment says what raising it trades.
 */
export interface MotionOptions {
  /**
   * Grey levels (0..255) a smoothed pixel must differ from the background, after the frame's overall
   * brightness shift is taken out, to count as changed. Sensor and JPEG noise are a few levels once
   * the 3x3 smoothing has averaged them. Raising it ignores people dressed close to the floor's
   * shade (missed motion); lowering it lets noise, flicker and compression artefacts through.
   */
  pixelThreshold: number;
  /**
   * Share of the frame (0..1) that must change for the frame to have motion. Raising it ignores
   * small movers (a hand, a far-away person, leaves) and costs detections of them; lowering it
   * wakes the detector for a few noisy pixels.
   */
  minimumArea: number;
  /**
   * Time constant (seconds of capture time) of the running-average background: after it a change
   * to the view is 63% learnt. Time-based, from the frame timestamps, so 5 fps and 25 fps behave
   * alike. Raising it keeps a person who stops (a queue, a browser at a shelf) as motion for longer
   * but leaves longer trails behind walkers and takes longer to forget a moved object; lowering it
   * makes a person who stands still fade into the background sooner.
   */
  backgroundAdaptSeconds: number;
  /**
   * Above this share (0..1) of changed pixels, after the brightness shift is taken out, the change
   * is taken for a light change (lights switched in part of the view, the camera's IR mode) and not
   * for motion: the background is learnt anew from the frame. Raising it lets a crowd filling the
   * view still count as motion but lets an uneven light change pass for motion.
   */
  lightChangeFraction: number;
}

/**
 * Defaults for a 96x72 thumbnail of a store camera, checked on the demo clip (768x576, people
 * ~40x100 px, so ~5x12 px in the thumbnail: ~1% of the frame each). 20 levels is far above the
 * clip's noise (90% of smoothed pixels move under 0.5 levels from frame to frame; a dark or
 * low-bitrate camera has several times more) and below the contrast of a person against the plaza;
 * 0.2% (~14 pixels) is a quarter of one person, so a far-off walker registers; 5 s of adaptation
 * is long enough that a walker crossing a pixel in half a second leaves under 10% of their
 * contrast behind, and short enough that a trolley left 80 levels darker than the floor is
 * background after ~7 s (5 s x ln(80/20)). 0.6 is many times the 3-7% of the view that the
 * clip's walkers change. Frigate uses similar values (threshold 30 on a blurred 100-px-high
 * picture, contour area 10 px, relearning above 80% changed).
 */
export const DEFAULT_MOTION_OPTIONS: MotionOptions = {
  pixelThreshold: 20,
  minimumArea: 0.002,
  backgroundAdaptSeconds: 5,
  lightChangeFraction: 0.6,
};

export interface MotionResult {
  /** Enough of the frame changed against the background (never on a warm-up or light-change frame). */
  motion: boolean;
  /** Share (0..1) of pixels that differ from the background by more than the pixel threshold. */
  changedFraction: number;
  /**
   * Where it changed, as fractions (0..1) of the frame's width and height: bounding boxes of connected changed areas, close ones merged, biggest first,
   * at most MAX_REGIONS. Their union holds every changed pixel. Empty without motion.
   */
  regions: Box[];
  /**
   * The light changed rather than something moving: the picture's median brightness shifted by
   * more than the pixel threshold, or more than lightChangeFraction of it changed even with the
   * shift taken out. Motion is then false and the background is learnt anew from this frame (the
   * caller may run the detector anyway: people present now are part of that background until they
   * move). Smaller shifts (auto-exposure drifting) are taken out without a word.
   */
  lightChange: boolean;
  /** The frame only started the background (the first one, or the first of a new size): no motion claimed. */
  warmingUp: boolean;
}

/** Regions reported at most: they are for an optional crop, where a few boxes are all that helps. */
export const MAX_REGIONS = 8;
/**
 * Boxes nearer than this share of the frame's larger side are one region: the head and legs of a
 * person whose shirt matches the floor, or two people walking together, are one crop.
 */
const REGION_MERGE_GAP = 0.03;
/** Flood fill's mark on a pixel of the grown mask it has been to (the mask holds 0 or 1). */
const VISITED = 2;
/** The brightness shift is measured to 1/BINS_PER_LEVEL grey level. */
const BINS_PER_LEVEL = 2;
/**
 * The brightness shift is the median over every this-many-th pixel (2,304 of a 96x72 frame): as
 * good a median of the whole view as all of them, at a third of the cost.
 */
const MEDIAN_SAMPLE_STEP = 3;

/**
 * A cheap per-camera motion detector (as in Frigate) that decides when the person detector needs to
 * run: each frame is smoothed (3x3 box, against sensor and JPEG noise), compared with a running-
 * average background after the frame's overall brightness shift is taken out (the median difference,
 * so people do not bias it), thresholded, and the changed pixels grouped into regions. Three passes
 * over the pixels (two to smooth, one to compare and learn) and one over a third of them (the
 * shift), with typed arrays reused from frame to frame, plus the grouping when there is motion.
 */
/**
 * Whether a frame is worth the model by this verdict: motion, and also a light change or the first
 * frames (the detector cannot tell there, so the model decides).
 */
export function wantsModel(result: MotionResult): boolean {
  return result.motion || result.warmingUp || result.lightChange;
}

export class MotionDetector {
  private readonly options: MotionOptions;
  private width = 0;
  private height = 0;
  /** The current frame, 3x3 box-smoothed. */
  private smoothed = new Float32Array(0);
  private background = new Float32Array(0);
  /** Horizontal 3-pixel sums, the first pass of the smoothing. */
  private rowSums = new Uint16Array(0);
  /** 1 where the pixel changed. */
  private changed = new Uint8Array(0);
  /**
   * 1 within a pixel of a changed pixel (so areas up to two pixels apart join into one region); the
   * region search marks the pixels it has been to with VISITED.
   */
  private grown = new Uint8Array(0);
  private stack = new Int32Array(0);
  /** Counts of (smoothed - background) per 1/BINS_PER_LEVEL level, -255..255: for the median. */
  private readonly histogram = new Int32Array(2 * 255 * BINS_PER_LEVEL + 1);
  private seeded = false;
  /** Frames since the background was seeded: it learns as their plain mean until that is slower. */
  private framesSinceSeed = 0;
  private lastAt = 0;

  constructor(options: Partial<MotionOptions> = {}) {
    this.options = { ...DEFAULT_MOTION_OPTIONS, ...options };
    const { pixelThreshold, minimumArea, backgroundAdaptSeconds, lightChangeFraction } = this.options;
    if (!(pixelThreshold >= 0 && pixelThreshold < 255)) {
      throw new Error(`pixelThreshold must be 0..254 grey levels, not ${pixelThreshold}`);
    }
    if (!(minimumArea >= 0 && minimumArea <= 1)) {
      throw new Error(`minimumArea must be a share of the frame (0..1), not ${minimumArea}`);
    }
    if (!(backgroundAdaptSeconds > 0)) {
      throw new Error(`backgroundAdaptSeconds must be above 0, not ${backgroundAdaptSeconds}`);
    }
    if (!(lightChangeFraction > 0 && lightChangeFraction <= 1)) {
      throw new Error(`lightChangeFraction must be a share of the frame (0..1], not ${lightChangeFraction}`);
    }
  }

  /** Forgets the background: the next frame starts it again (a camera moved or reconnected). */
  reset(): void {
    this.seeded = false;
  }

  /**
   * Compares one frame, captured at `at` (ms since any fixed moment), with the background, then
   * learns it into the background. A timestamp earlier than the last one learns nothing from the
   * time between (as if no time had passed).
   */
  update(frame: GreyFrame, at: number): MotionResult {
    const { data, width, height } = frame;
    if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
      throw new Error(`a grey frame needs a whole size, not ${width}x${height}`);
    }
    if (!(data instanceof Uint8Array) || data.length !== width * height) {
      throw new Error(
        `a ${width}x${height} grey frame needs ${width * height} bytes (one per pixel), ` +
          `not ${data instanceof Uint8Array ? data.length : typeof data}`,
      );
    }
    if (!Number.isFinite(at)) throw new Error(`a frame needs its capture time in ms, not ${at}`);
    if (width !== this.width || height !== this.height) this.allocate(width, height);
    this.smooth(data);
    if (!this.seeded) {
      this.seed(at);
      return { motion: false, changedFraction: 0, regions: [], lightChange: false, warmingUp: true };
    }

    const shift = this.brightnessShift();
    const changedCount = this.compareAndLearn(shift, at);
    const changedFraction = changedCount / (width * height);
    if (Math.abs(shift) > this.options.pixelThreshold || changedFraction > this.options.lightChangeFraction) {
      // Folding a shift this big into the background would leave any part of the view that did not
      // take it (a lamp's corner, a window) changed for several time constants: start again instead.
      this.seed(at);
      return { motion: false, changedFraction, regions: [], lightChange: true, warmingUp: false };
    }
    const motion = changedCount > 0 && changedFraction >= this.options.minimumArea;
    return {
      motion,
      changedFraction,
      regions: motion ? this.findRegions() : [],
      lightChange: false,
      warmingUp: false,
    };
  }

  private allocate(width: number, height: number): void {
    const pixels = width * height;
    this.width = width;
    this.height = height;
    this.smoothed = new Float32Array(pixels);
    this.background = new Float32Array(pixels);
    this.rowSums = new Uint16Array(pixels);
    this.changed = new Uint8Array(pixels);
    this.grown = new Uint8Array(pixels);
    this.stack = new Int32Array(pixels);
    this.seeded = false;
  }

  private seed(at: number): void {
    this.background.set(this.smoothed);
    this.seeded = true;
    this.framesSinceSeed = 1;
    this.lastAt = at;
  }

  /** 3x3 box average, edges repeated: averages the noise of 9 pixels (its spread drops 3x). */
  private smooth(data: Uint8Array): void {
    const { width: w, height: h, rowSums, smoothed } = this;
    for (let y = 0; y < h; y++) {
      const row = y * w;
      if (w === 1) {
        rowSums[row] = 3 * data[row];
        continue;
      }
      // The first and last pixels outside the loop, so that it has no edge tests.
      rowSums[row] = 2 * data[row] + data[row + 1];
      for (let i = row + 1, end = row + w - 1; i < end; i++) rowSums[i] = data[i - 1] + data[i] + data[i + 1];
      rowSums[row + w - 1] = data[row + w - 2] + 2 * data[row + w - 1];
    }
    const ninth = 1 / 9;
    for (let y = 0; y < h; y++) {
      const above = (y > 0 ? y - 1 : 0) * w;
      const row = y * w;
      const below = (y < h - 1 ? y + 1 : y) * w;
      for (let x = 0; x < w; x++) {
        smoothed[row + x] = (rowSums[above + x] + rowSums[row + x] + rowSums[below + x]) * ninth;
      }
    }
  }

  /**
   * How much brighter (or darker) the frame is than the background as a whole: the median of the
   * per-pixel differences, which people covering less than half of the view do not move (a mean
   * would be pulled by every dark coat). Every MEDIAN_SAMPLE_STEP-th pixel is plenty for a median
   * of the whole view.
   */
  private brightnessShift(): number {
    const { smoothed, background, histogram } = this;
    histogram.fill(0);
    // Rounded by truncating a positive number: an int32 index keeps the typed-array access fast.
    const binOffset = 255 * BINS_PER_LEVEL + 0.5;
    let samples = 0;
    for (let i = 0; i < smoothed.length; i += MEDIAN_SAMPLE_STEP) {
      histogram[((smoothed[i] - background[i]) * BINS_PER_LEVEL + binOffset) | 0]++;
      samples++;
    }
    let seen = 0;
    for (let bin = 0; bin < histogram.length; bin++) {
      seen += histogram[bin];
      if (seen >= samples / 2) return (bin - 255 * BINS_PER_LEVEL) / BINS_PER_LEVEL;
    }
    return 0;
  }

  /**
   * Marks the pixels that differ from the shifted background by more than the threshold (and,
   * for the regions, their neighbours in `grown`); returns how many changed. In the same pass it
   * learns the frame into the background: the brightness shift at once (auto-exposure drifting is
   * not motion for the next seconds), then a step towards the frame of 1 - exp(-dt / time
   * constant). Right after seeding the background is the plain mean of the frames so far while that
   * learns faster: people in the first frame do not linger as ghosts for a whole time constant.
   * (A light change re-seeds the background afterwards, undoing the step.)
   */
  private compareAndLearn(shift: number, at: number): number {
    const { width: w, height: h, smoothed, background, changed, grown } = this;
    const elapsedMs = Math.max(0, at - this.lastAt);
    this.lastAt = at;
    this.framesSinceSeed++;
    const timeRate = 1 - Math.exp(-elapsedMs / (this.options.backgroundAdaptSeconds * 1000));
    const rate = Math.max(timeRate, 1 / this.framesSinceSeed);
    const limit = this.options.pixelThreshold;
    grown.fill(0);
    let count = 0;
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) {
        const i = row + x;
        const shifted = background[i] + shift;
        const difference = smoothed[i] - shifted;
        const learnt = shifted + rate * difference;
        background[i] = learnt < 0 ? 0 : learnt > 255 ? 255 : learnt;
        if (difference > limit || difference < -limit) {
          changed[i] = 1;
          count++;
          // Changed pixels are few: growing the mask here costs less than another pass over it.
          const left = x > 0 ? i - 1 : i;
          const right = x < w - 1 ? i + 1 : i;
          grown[left] = grown[i] = grown[right] = 1;
          if (y > 0) grown[left - w] = grown[i - w] = grown[right - w] = 1;
          if (y < h - 1) grown[left + w] = grown[i + w] = grown[right + w] = 1;
        } else {
          changed[i] = 0;
        }
      }
    }
    return count;
  }

  /**
   * Bounding boxes of the connected changed areas (4-connected in the grown mask, so areas up to
   * two pixels apart join), each around its changed pixels only, then merged while close and until
   * at most MAX_REGIONS remain. Merging only ever grows boxes, so their union keeps every changed
   * pixel.
   */
  private findRegions(): Box[] {
    const { width: w, height: h, changed, grown, stack } = this;
    const boxes: Box[] = [];
    for (let start = 0; start < grown.length; start++) {
      if (grown[start] !== 1) continue;
      let x1 = w;
      let y1 = h;
      let x2 = -1;
      let y2 = -1;
      let top = 0;
      stack[top++] = start;
      grown[start] = VISITED;
      // Flood fill; each pixel is pushed once (marked when pushed), so the stack cannot overflow.
      while (top > 0) {
        const i = stack[--top];
        const y = (i / w) | 0;
        const x = i - y * w;
        if (changed[i] === 1) {
          if (x < x1) x1 = x;
          if (x > x2) x2 = x;
          if (y < y1) y1 = y;
          if (y > y2) y2 = y;
        }
        if (x > 0 && grown[i - 1] === 1) {
          grown[i - 1] = VISITED;
          stack[top++] = i - 1;
        }
        if (x < w - 1 && grown[i + 1] === 1) {
          grown[i + 1] = VISITED;
          stack[top++] = i + 1;
        }
        if (y > 0 && grown[i - w] === 1) {
          grown[i - w] = VISITED;
          stack[top++] = i - w;
        }
        if (y < h - 1 && grown[i + w] === 1) {
          grown[i + w] = VISITED;
          stack[top++] = i + w;
        }
      }
      if (x2 >= 0) boxes.push([x1, y1, x2 + 1, y2 + 1]);
    }
    const merged = mergeBoxes(boxes, REGION_MERGE_GAP * Math.max(w, h));
    return merged.map(([x1, y1, x2, y2]) => [x1 / w, y1 / h, x2 / w, y2 / h]);
  }
}

/**
 * Merges boxes at most `gap` pixels apart until none are (a merged box is bigger, so it may now
 * reach a box it did not), then the smallest into its nearest neighbour until at most MAX_REGIONS
 * remain; biggest first.
 */
function mergeBoxes(input: Box[], gap: number): Box[] {
  const boxes = input.slice();
  for (let mergedAny = true; mergedAny;) {
    mergedAny = false;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (boxGap(boxes[i], boxes[j]) <= gap) {
          boxes[i] = boxUnion(boxes[i], boxes[j]);
          boxes.splice(j, 1);
          j = i; // boxes[i] grew: look at every other box again
          mergedAny = true;
        }
      }
    }
  }
  boxes.sort((a, b) => boxArea(b) - boxArea(a));
  while (boxes.length > MAX_REGIONS) {
    const smallest = boxes.pop()!;
    let nearest = 0;
    for (let i = 1; i < boxes.length; i++) {
      if (boxGap(boxes[i], smallest) < boxGap(boxes[nearest], smallest)) nearest = i;
    }
    boxes[nearest] = boxUnion(boxes[nearest], smallest);
    boxes.sort((a, b) => boxArea(b) - boxArea(a));
  }
  return boxes;
}
