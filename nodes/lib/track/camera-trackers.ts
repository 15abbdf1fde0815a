import type { TrackerCount } from '../control/count-labels';
import { isBox } from '../geometry/box';
import { ByteTracker, type TrackedObject, type TrackerOptions } from './byte-tracker';
import type { TrackInput } from './track';

/** Whether msg.detections is a list the tracker can follow: each with a box and a score. */
export function isDetectionList(value: unknown): value is TrackInput[] {
  return (
    Array.isArray(value) &&
    value.every(
      (d: { box?: unknown; score?: unknown } | null) => d && isBox(d.box) && typeof d.score === 'number',
    )
  );
}

/** One frame's people: those followed, and how many are in view and were ever given an ID. */
export interface TrackedFrame {
  tracks: TrackedObject[];
  counts: { inView: number; unique: number };
}

/** The tracker node's cameras: one ByteTracker each (its own ID counter), made at the camera's first frame. */
export class CameraTrackers {
  private readonly trackers = new Map<string, ByteTracker>();
  /** Per camera: its last frame's people, and the IDs given since its tracker began or was reset. */
  private readonly counts = new Map<string, TrackerCount>();

  constructor(private readonly options: TrackerOptions) {}

  /**
   * Follows `camera`'s people into a frame captured at `at`: with its detections, or by prediction
   * alone (null: a frame yolo-detect passed over).
   */
  frame(camera: string, detections: readonly TrackInput[] | null, at: number, now: number): TrackedFrame {
    let tracker = this.trackers.get(camera);
    if (!tracker) {
      tracker = new ByteTracker(this.options);
      this.trackers.set(camera, tracker);
      this.counts.set(camera, { inView: 0, unique: 0, since: now });
    }
    const tracks = detections ? tracker.update(detections, at) : tracker.predict(at);
    const counts = { inView: tracks.length, unique: tracker.uniqueCount };
    Object.assign(this.counts.get(camera)!, counts);
    return { tracks, counts };
  }

  /** The cameras it follows, in the order first seen. */
  cameras(): string[] {
    return [...this.trackers.keys()];
  }

  /** Starts these cameras' IDs again from 0. */
  reset(cameras: readonly string[], now: number): void {
    for (const id of cameras) {
      this.trackers.get(id)?.reset();
      if (this.counts.has(id)) this.counts.set(id, { inView: 0, unique: 0, since: now });
    }
  }

  /** Every camera's counts, for the status line. */
  statusCounts(): TrackerCount[] {
    return [...this.counts.values()];
  }

  clear(): void {
    this.trackers.clear();
    this.counts.clear();
  }
}
