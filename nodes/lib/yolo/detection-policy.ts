import type { Urgency } from './detection-scheduler';

/**
 * When a camera's frame is worth the model's time. The model is the expensive part of the box (one
 * inference costs as much CPU as decoding a camera for seconds); a frame that is not detected still
 * goes on to the tracker, which moves its tracks by prediction.
 */
export interface DetectionPolicyOptions {
  /**
   * The ceiling: at most one detection every this many frames of a camera (1: every frame when the
   * budget allows). Raising it saves CPU for more cameras; the tracker predicts in between, and
   * identities hold to about every 4th frame at 10 fps.
   */
  detectEvery: number;
  /**
   * Run the model only where something moves (plus the two rules below). Off: every frame up to the
   * ceiling. On saves nearly all inference in a still store; the cost is a person who walks in being
   * detected a frame after the motion starts (the thumbnail may be a frame behind the JPEG), and one who
   * never moves only at the next refresh.
   */
  motionGate: boolean;
  /**
   * While the last detection found people and nothing moves (they stand still), detect this often (s),
   * at low priority: their tracks stay where they are by prediction meanwhile. After one missed
   * detection the track is lost but kept for the tracker's lost-track buffer (5 s), so the next
   * keep-alive must come within it or the person gets a new ID: 4 s leaves room. Each still camera with
   * people costs 1/keepAlive inferences per second (measured: 2 s made a still store cost 2.4x its
   * decoding, the inference being most of the difference).
   */
  keepAliveSeconds: number;
  /**
   * With no motion and nobody seen, still detect this often (s): someone standing still from before
   * the gate saw them, or motion too small to pass the motion threshold. Shorter finds them sooner.
   */
  refreshSeconds: number;
}

export const DEFAULT_DETECTION_POLICY: DetectionPolicyOptions = {
  detectEvery: 1,
  motionGate: true,
  keepAliveSeconds: 4,
  refreshSeconds: 5,
};

/** What to do with one frame, and why. */
export type FrameDecision =
  { detect: true; urgency: Urgency } | { detect: false; reason: 'interval' | 'no-motion' };

/** One camera's side of the policy: what it has seen since its last detection. */
export class CameraDetectionPolicy {
  private framesSinceRequest = Infinity;
  private lastDetectionAt = -Infinity;
  private peopleSeen = false;
  /** Requests not answered yet (the model has them, or one waits for a session). */
  private outstanding = 0;

  constructor(private readonly options: DetectionPolicyOptions = DEFAULT_DETECTION_POLICY) {}

  /**
   * Decides for a frame captured at `at` (ms); `motion` is the motion detector's verdict (ignored with
   * the gate off). A 'detect' decision is a wish: under load the scheduler may still pass it over. Call
   * `answered` once for every frame it said 'detect' for.
   */
  decide(at: number, motion: boolean): FrameDecision {
    this.framesSinceRequest++;
    if (this.framesSinceRequest < this.options.detectEvery) return { detect: false, reason: 'interval' };
    const decision = this.wish(at, motion);
    // Counted from the request, not the answer (a frame or two later): the frames meanwhile must not
    // ask again when the ceiling says every Nth. A request a newer frame replaces while it waits needs
    // no undoing: the newer one asked, and the count runs from it.
    if (decision.detect) {
      this.framesSinceRequest = 0;
      this.outstanding++;
    }
    return decision;
  }

  private wish(at: number, motion: boolean): FrameDecision {
    const o = this.options;
    if (!o.motionGate || motion) return { detect: true, urgency: 'active' };
    // A keep-alive or refresh already on its way is enough: the frames behind it would each ask again
    // until its answer came, and a still view would cost several inferences instead of one.
    const since = (at - this.lastDetectionAt) / 1000;
    if (this.outstanding === 0 && this.peopleSeen && since >= o.keepAliveSeconds) {
      return { detect: true, urgency: 'refresh' };
    }
    if (this.outstanding === 0 && since >= o.refreshSeconds) return { detect: true, urgency: 'refresh' };
    return { detect: false, reason: 'no-motion' };
  }

  /**
   * A frame this policy asked the model for was answered (`people` found in the frame captured at
   * `at`), or not (null: a newer frame took its place, or it timed out or failed).
   */
  answered(at: number, people: number | null): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
    if (people === null) return;
    this.lastDetectionAt = Math.max(this.lastDetectionAt, at);
    this.peopleSeen = people > 0;
  }
}
