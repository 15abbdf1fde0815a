import type { ReadonlyBox } from '../geometry/box';
import { BackgroundModel, backgroundSize, DEFAULT_BACKGROUND } from './background-model';

/** A camera's person-free picture as it travels to heatmap-store and analytics-history. */
export interface BackgroundPicture {
  cameraId: string;
  width: number;
  height: number;
  /** ms since epoch: the newest sample in it. */
  updatedAt: number;
  /** Samples taken so far. */
  frames: number;
  /** Raw RGB, row-major. */
  pixels: Buffer;
}

export function isBackgroundPicture(value: unknown): value is BackgroundPicture {
  const v = value as Partial<BackgroundPicture> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.cameraId === 'string' &&
    Number.isInteger(v.width) &&
    Number.isInteger(v.height) &&
    Buffer.isBuffer(v.pixels) &&
    v.pixels.length === v.width! * v.height! * 3
  );
}

interface CameraState {
  model: BackgroundModel;
  frameWidth: number;
  frameHeight: number;
  lastPublishAt: number;
  unpublished: number;
  newestAt: number;
}

/**
 * When each camera's background takes a sample and when its picture is sent on: samples every
 * `sampleMs` (spread out, so a person standing still for a while is outvoted by the other samples),
 * a new picture after the 1st, 2nd, 4th, 8th and 16th sample, then at most every `publishMs`, and
 * only after new samples (the median is computed then, not per sample).
 */
export class CameraBackgrounds {
  private readonly cameras = new Map<string, CameraState>();
  /** When each camera's last sample was asked for (its decode may still be running). */
  private readonly askedAt = new Map<string, number>();

  constructor(
    private readonly sampleMs: number,
    private readonly publishMs = 60_000,
    private readonly maxWidth = 320,
  ) {}

  /**
   * Whether this frame should be sampled; a yes counts as the sample's time (the caller then
   * decodes the frame and calls add, or drops it).
   */
  wants(cameraId: string, at: number): boolean {
    if (!(this.sampleMs > 0)) return false;
    const last = this.askedAt.get(cameraId);
    if (last !== undefined && at - last < this.sampleMs && at >= last) return false;
    this.askedAt.set(cameraId, at);
    return true;
  }

  /** The size to decode a frame of this camera to. */
  sizeFor(frameWidth: number, frameHeight: number): { width: number; height: number } {
    return backgroundSize(frameWidth, frameHeight, this.maxWidth);
  }

  /** Adds a decoded sample (RGB of `sizeFor`'s size) with the people in the frame as boxes. */
  add(
    cameraId: string,
    at: number,
    frame: { width: number; height: number },
    rgb: Uint8Array,
    boxes: readonly ReadonlyBox[],
  ): void {
    const size = this.sizeFor(frame.width, frame.height);
    let state = this.cameras.get(cameraId);
    if (
      !state ||
      state.frameWidth !== frame.width ||
      state.frameHeight !== frame.height // the picture changed: start again
    ) {
      state = {
        model: new BackgroundModel(size.width, size.height, DEFAULT_BACKGROUND),
        frameWidth: frame.width,
        frameHeight: frame.height,
        lastPublishAt: -Infinity,
        unpublished: 0,
        newestAt: at,
      };
      this.cameras.set(cameraId, state);
    }
    state.model.add(rgb, boxes, frame.width, frame.height);
    state.newestAt = at;
    state.unpublished++;
  }

  /** The pictures due to be sent on now. */
  due(now: number): BackgroundPicture[] {
    const out: BackgroundPicture[] = [];
    for (const [cameraId, state] of this.cameras) {
      const frames = state.model.frames;
      // Early pictures (the first one the model gives, then after 8 and 16 samples) come at once:
      // each is much better than the last.
      const early = frames === state.model.minSamples || frames === 8 || frames === 16;
      if (state.unpublished === 0 || (now - state.lastPublishAt < this.publishMs && !early)) continue;
      const picture = state.model.picture();
      if (!picture) continue;
      state.lastPublishAt = now;
      state.unpublished = 0;
      out.push({ cameraId, ...picture, updatedAt: state.newestAt, frames });
    }
    return out;
  }

  clear(): void {
    this.cameras.clear();
    this.askedAt.clear();
  }
}
