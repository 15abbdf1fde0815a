import { CameraLane, type FrameRelease, type LaneDetector, type LaneFrame } from './camera-lane';
import type { DetectionPolicyOptions } from './detection-policy';
import type { DetectRequest } from './detector';

/** A camera that sent nothing for this long is forgotten (its detector handle and motion buffers). */
export const IDLE_CAMERA_MS = 60000;

/** Every camera's figures of the last status second, summed. */
export interface DetectionSummary {
  cameras: number;
  /** Cameras whose every frame of the second was passed over for lack of motion. */
  idleCameras: number;
  detectionsPerSecond: number;
  framesPerSecond: number;
  /** Frames dropped under load since the node started. */
  droppedByLoad: number;
  /** The model's inference time on the latest frame it answered, any camera's. */
  lastInferenceMs: number;
}

export interface CameraLanesOptions<F> {
  /** A new handle on the shared model, for a camera's first frame. */
  newClient: () => LaneDetector;
  policy: DetectionPolicyOptions;
  request: () => Promise<DetectRequest>;
  /** Gets each frame once, in its camera's capture order, with a copy of the camera's stats. */
  release: FrameRelease<F>;
}

/**
 * yolo-detect's cameras, each in a lane of its own (created at its first frame, forgotten once idle
 * for IDLE_CAMERA_MS), so one camera's frames never wait behind another's.
 */
export class CameraLanes<F> {
  private readonly lanes = new Map<string, CameraLane<F>>();
  private closed = false;
  private lastInferenceMs = 0;

  constructor(private readonly options: CameraLanesOptions<F>) {}

  get size(): number {
    return this.lanes.size;
  }

  /** Takes one of `camera`'s frames (see CameraLane.take). */
  take(camera: string, input: LaneFrame<F>, now: number): Promise<void> {
    return this.laneFor(camera, now).take(input, now);
  }

  /** Frames waiting behind a detection that got no answer in time go on without it; call often. */
  expire(now: number): void {
    for (const lane of this.lanes.values()) lane.expire(now);
  }

  /** Closes a status second: forgets idle cameras and sums the others' figures. */
  second(now: number): DetectionSummary {
    const summary: DetectionSummary = {
      cameras: 0,
      idleCameras: 0,
      detectionsPerSecond: 0,
      framesPerSecond: 0,
      droppedByLoad: 0,
      lastInferenceMs: this.lastInferenceMs,
    };
    for (const [camera, lane] of this.lanes) {
      if (now - lane.lastFrameAt > IDLE_CAMERA_MS && lane.waiting === 0) {
        lane.close();
        this.lanes.delete(camera);
        continue;
      }
      const { idle } = lane.counter.second(now);
      const stats = lane.counter.stats;
      summary.detectionsPerSecond += stats.detectionsPerSecond;
      summary.framesPerSecond += stats.framesPerSecond;
      summary.droppedByLoad += stats.droppedByLoad;
      if (idle) summary.idleCameras++;
    }
    summary.cameras = this.lanes.size;
    return summary;
  }

  /** Every camera leaves the detector; frames still waiting are let out but no longer released. */
  close(): void {
    this.closed = true;
    for (const lane of this.lanes.values()) lane.close();
    this.lanes.clear();
  }

  private laneFor(camera: string, now: number): CameraLane<F> {
    let lane = this.lanes.get(camera);
    if (lane) return lane;
    lane = new CameraLane<F>(
      {
        client: this.options.newClient(),
        policy: this.options.policy,
        request: this.options.request,
        // A copy of the stats: the lane keeps counting in its own, and a flow may change the message's.
        release: (frame, outcome, stats) => {
          if (!this.closed) this.options.release(frame, outcome, { ...stats });
        },
        isClosed: () => this.closed,
        onDetected: (result) => {
          this.lastInferenceMs = result.timings.inferenceMs;
        },
      },
      now,
    );
    this.lanes.set(camera, lane);
    return lane;
  }
}
