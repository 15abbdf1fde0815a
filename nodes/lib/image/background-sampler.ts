import { isBox, type ReadonlyBox } from '../geometry/box';
import { type BackgroundPicture, CameraBackgrounds } from './camera-backgrounds';
import { isJpeg } from './jpeg-splitter';
import sharp from './sharp';

/** A frame the detector ran on, as the sampler reads it. */
export interface SampledFrame {
  cameraId: string;
  /** The frame's JPEG. */
  jpeg: Buffer;
  /** Capture time, ms since epoch. */
  at: number;
  width: number;
  height: number;
  /** Every person in the frame (the detector's and the tracker's boxes, in frame pixels). */
  people: readonly ReadonlyBox[];
}

/** The boxes of every person the detector saw in a frame or the tracker still follows. */
export function peopleBoxes(
  tracks: ReadonlyArray<{ box?: unknown }> = [],
  detections: ReadonlyArray<{ box?: unknown } | null> = [],
): ReadonlyBox[] {
  const boxes: ReadonlyBox[] = [];
  for (const t of tracks) if (isBox(t.box)) boxes.push(t.box);
  for (const d of detections) if (isBox(d?.box)) boxes.push(d.box);
  return boxes;
}

/**
 * Samples each camera's empty view from its frames: when a camera's next sample is due, the frame is
 * decoded small (on libuv's thread pool) and added with the people's boxes wiped; `due` gives the
 * pictures to send on. Only frames the detector ran on are offered: on the frames between, someone
 * who just came in has no box yet.
 */
export class BackgroundSampler {
  private readonly backgrounds: CameraBackgrounds;
  private closed = false;

  /** `sampleMs` 0: never samples. */
  constructor(sampleMs: number) {
    this.backgrounds = new CameraBackgrounds(sampleMs);
  }

  /**
   * Takes a sample of this frame if the camera's next one is due; the promise settles once it is
   * added (rejects when the frame cannot be decoded). Null when no sample is taken.
   */
  offer(frame: SampledFrame): Promise<void> | null {
    if (!isJpeg(frame.jpeg) || !this.backgrounds.wants(frame.cameraId, frame.at)) return null;
    const size = this.backgrounds.sizeFor(frame.width, frame.height);
    return sharp(frame.jpeg)
      .resize(size.width, size.height, { fit: 'fill' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer()
      .then((rgb) => {
        // A decode that ends after close belongs to a stopped node.
        if (!this.closed) this.backgrounds.add(frame.cameraId, frame.at, frame, rgb, frame.people);
      });
  }

  /** The cameras' pictures due to be sent on now. */
  due(now: number): BackgroundPicture[] {
    return this.backgrounds.due(now);
  }

  close(): void {
    this.closed = true;
    this.backgrounds.clear();
  }
}
