import { greyThumbnail, MOTION_THUMBNAIL } from '../motion/grey-thumbnail';
import { MotionDetector, wantsModel, type GreyFrame } from '../motion/motion-detector';
import { CameraDetectionPolicy, type DetectionPolicyOptions } from './detection-policy';
import type { Urgency } from './detection-scheduler';
import { CameraDetectionCounter, type CameraDetectionStats } from './detection-stats';
import type { DetectRequest, DetectResult } from './detector';
import { FrameSequencer, type FrameOutcome, type PendingFrame } from './frame-sequencer';
import type { DetectOutcome } from './shared-detector';

/** Motion analyses a camera may have waiting before its frames count as moving unanalysed. */
export const MAX_PENDING_ANALYSES = 3;

/** A camera's handle on the model (SharedDetector's DetectorClient). */
export interface LaneDetector {
  detect(jpeg: Buffer, request: DetectRequest, urgency: Urgency): Promise<DetectOutcome>;
  close(): void;
}

/** One frame of a camera, as the lane reads it; `frame` is what is released (the message). */
export interface LaneFrame<F> {
  frame: F;
  jpeg: Buffer;
  /** When the camera captured it (ms): the motion background and the policy go by capture time. */
  capturedAt: number;
  /** The grey picture rtsp-in's ffmpeg made beside the JPEG, if any (else the JPEG is decoded small). */
  thumbnail: GreyFrame | null;
}

/** Every frame leaves through this, in its camera's capture order: detected, or skipped and why. */
export type FrameRelease<F> = (
  frame: F,
  outcome: FrameOutcome<DetectResult>,
  stats: CameraDetectionStats,
) => void;

export interface CameraLaneOptions<F> {
  client: LaneDetector;
  policy: DetectionPolicyOptions;
  /** The request for the model once it is ready; rejects with why it never will be. */
  request: () => Promise<DetectRequest>;
  release: FrameRelease<F>;
  /** Whether the node closed: a frame still on its way to the model is not worth its time then. */
  isClosed: () => boolean;
  /** Each answer from the model (for the status's inference time). */
  onDetected: (result: DetectResult) => void;
}

/**
 * One camera's share of yolo-detect: its own detector handle, motion background, detection policy
 * and frame order. A frame goes: motion verdict (in frame order, the background learns in order) ->
 * the policy's decision -> the model, or skipped -> released in capture order by the sequencer.
 */
export class CameraLane<F> {
  readonly counter = new CameraDetectionCounter();
  lastFrameAt: number;
  private readonly motion = new MotionDetector();
  private readonly policy: CameraDetectionPolicy;
  private readonly sequencer: FrameSequencer<F, DetectResult>;
  /** Motion analysis of this camera's frames, one after another. */
  private analysis: Promise<void> = Promise.resolve();
  /** Motion analyses started and not finished. */
  private analysesPending = 0;

  constructor(
    private readonly options: CameraLaneOptions<F>,
    now: number,
  ) {
    this.lastFrameAt = now;
    this.policy = new CameraDetectionPolicy(options.policy);
    this.sequencer = new FrameSequencer((frame, outcome) =>
      options.release(frame, outcome, this.counter.stats),
    );
  }

  /** Frames waiting for a detection, or behind one. */
  get waiting(): number {
    return this.sequencer.waiting;
  }

  /**
   * Takes a frame; resolves once its fate is settled. Should the detector fail on it, the frame still
   * goes on (skipped, 'error': the tracker predicts it) and the promise rejects with the error.
   */
  take(input: LaneFrame<F>, now: number): Promise<void> {
    this.counter.frame();
    this.lastFrameAt = now;
    const pending = this.sequencer.pending(input.frame, now);
    return this.motionVerdict(input.thumbnail ?? input.jpeg, input.capturedAt)
      .then((motion) => this.detectOrSkip(pending, input.jpeg, input.capturedAt, motion))
      .catch((err: Error) => {
        pending.settle({ kind: 'skipped', reason: 'error' });
        throw err;
      });
  }

  /** Lets out, without detections, frames that waited too long for theirs. */
  expire(now: number): void {
    this.sequencer.expire(now);
  }

  /** Leaves the detector and lets every waiting frame out (as skipped, 'closed'). */
  close(): void {
    this.options.client.close();
    this.sequencer.flush('closed');
  }

  /**
   * The motion verdict, in frame order; without the gate no picture is looked at. Should the analyses
   * fall behind (JPEGs decoded small on a busy machine), frames count as moving rather than queue up.
   */
  private motionVerdict(picture: GreyFrame | Buffer, at: number): Promise<boolean> {
    let verdict: Promise<boolean>;
    if (!this.options.policy.motionGate || this.analysesPending >= MAX_PENDING_ANALYSES) {
      verdict = this.analysis.then(() => true);
    } else {
      this.analysesPending++;
      verdict = this.analysis.then(() => this.motionOf(picture, at));
      verdict.finally(() => this.analysesPending--).catch(() => {});
    }
    this.analysis = verdict.then(() => undefined);
    return verdict;
  }

  /**
   * Whether a frame shows motion. A picture the thumbnail cannot read counts as motion: the model
   * then decides (and reports a bad image as such), rather than the gate hiding it.
   */
  private async motionOf(picture: GreyFrame | Buffer, at: number): Promise<boolean> {
    try {
      const grey = Buffer.isBuffer(picture) ? await greyThumbnail(picture, MOTION_THUMBNAIL) : picture;
      return wantsModel(this.motion.update(grey, at));
    } catch {
      return true;
    }
  }

  private async detectOrSkip(
    pending: PendingFrame<DetectResult>,
    jpeg: Buffer,
    at: number,
    motion: boolean,
  ): Promise<void> {
    const decision = this.policy.decide(at, motion);
    if (!decision.detect) {
      if (decision.reason === 'no-motion') this.counter.skippedByMotion();
      pending.settle({ kind: 'skipped', reason: decision.reason });
      return;
    }
    let outcome: DetectOutcome;
    try {
      const request = await this.options.request();
      // Already gone on without an answer (it waited too long): not worth the model's time.
      outcome =
        pending.released || this.options.isClosed()
          ? { kind: 'dropped' }
          : await this.options.client.detect(jpeg, request, decision.urgency);
    } catch (err) {
      this.policy.answered(at, null);
      throw err;
    }
    if (outcome.kind === 'dropped') {
      // A newer frame of this camera took this one's place while the model was busy.
      this.counter.droppedByLoad();
      this.policy.answered(at, null);
      pending.settle({ kind: 'skipped', reason: 'load' });
      return;
    }
    const { result } = outcome;
    this.counter.detected();
    this.options.onDetected(result);
    this.policy.answered(at, result.detections.length);
    pending.settle({ kind: 'detected', result });
  }
}
