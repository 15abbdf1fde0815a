import { histogramSimilarity } from '../image/colour-histogram';
import type { Box } from '../geometry/box';
import { initiate, KalmanState, predict, toBox, toXywh, update } from './kalman';

/** What the tracker takes in: a detection box in frame pixels. */
export interface TrackInput {
  box: Box;
  score: number;
  label?: string;
  classId?: number;
  appearance?: number[];
}

export type TrackState = 'tentative' | 'tracked' | 'lost';

/** How much of a new appearance is blended into a track's (exponential moving average). */
const APPEARANCE_MOMENTUM = 0.2;

/** Longest gap (s) over which a returning person's displacement still says how fast they walk. */
const RESTART_VELOCITY_MAX_GAP_SECONDS = 2;

/** One object followed over time. Dropped from memory when removed. */
export class Track {
  /** 0 until confirmed: IDs go only to objects seen often enough to be real. */
  id = 0;
  state: TrackState = 'tentative';
  hits = 1;
  score: number;
  label: string;
  classId: number;
  appearance: number[] | null;
  readonly firstSeenAt: number;
  lastSeenAt: number;
  /** The last detection box taken: where and how big the person really was when last seen. */
  lastBox: Box;
  private kalman: KalmanState;
  private predictedAt: number;

  constructor(detection: TrackInput, at: number) {
    this.kalman = initiate(toXywh(detection.box));
    this.score = detection.score;
    this.label = detection.label ?? 'person';
    this.classId = detection.classId ?? 0;
    this.appearance = detection.appearance ? [...detection.appearance] : null;
    this.firstSeenAt = at;
    this.lastSeenAt = at;
    this.lastBox = [...detection.box];
    this.predictedAt = at;
  }

  /** Where the filter expects the box at `at` (ms). */
  predictTo(at: number): void {
    const dt = (at - this.predictedAt) / 1000;
    if (dt > 0) {
      if (this.state === 'lost') {
        // A hidden person keeps their size: a size trend learnt from the last, often partly
        // occluded boxes would shrink the prediction to nothing within a second.
        this.kalman.mean[6] = 0;
        this.kalman.mean[7] = 0;
      }
      this.kalman = predict(this.kalman, dt);
      this.predictedAt = at;
    }
  }

  get box(): Box {
    return toBox(this.kalman.mean);
  }

  /** Where the filter expects the box at `at`, leaving the filter as it is (no time passes for it). */
  boxAt(at: number): Box {
    const dt = (at - this.predictedAt) / 1000;
    return dt > 0 ? toBox(predict(this.kalman, dt).mean) : this.box;
  }

  /** Seconds since the track was last matched to a detection. */
  secondsUnseen(at: number): number {
    return (at - this.lastSeenAt) / 1000;
  }

  /**
   * The predicted box grown with the time unseen: the longer someone is hidden, the less sure the
   * filter is where they are (and IoU with a too-tight predicted box would fail to re-find them).
   */
  searchBox(at: number): Box {
    const grow = 1 + 0.5 * Math.min(4, this.secondsUnseen(at));
    const [x1, y1, x2, y2] = this.box;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const hw = ((this.lastBox[2] - this.lastBox[0]) / 2) * grow;
    const hh = ((this.lastBox[3] - this.lastBox[1]) / 2) * grow;
    return [cx - hw, cy - hh, cx + hw, cy + hh];
  }

  /** Similarity of a detection's appearance to this track's (null when either has none). */
  appearanceSimilarity(detection: TrackInput): number | null {
    return this.appearance && detection.appearance
      ? histogramSimilarity(this.appearance, detection.appearance)
      : null;
  }

  /**
   * Takes the detection as this track's new position. `learnAppearance` is false when the box
   * overlaps someone else's: their colours would leak into this track's appearance.
   */
  update(detection: TrackInput, at: number, learnAppearance = true): void {
    this.predictTo(at);
    this.kalman = update(this.kalman, toXywh(detection.box));
    this.matched(detection, at, learnAppearance);
  }

  /**
   * Takes up a detection far from the prediction (a returning person): the filter starts afresh. With
   * `walkOnHeightsPerSecond` (sparse detections) it starts at the speed the gap implies, up to that
   * many body heights per second: a track restarted at rest would fall behind its person again before
   * the next detection (a person 25 px wide walking 60 px/s leaves a still prediction within 0.4 s).
   */
  restart(
    detection: TrackInput,
    at: number,
    learnAppearance = true,
    walkOnHeightsPerSecond: number | null = null,
  ): void {
    const from = toXywh(this.lastBox);
    const to = toXywh(detection.box);
    this.kalman = initiate(to);
    const gap = this.secondsUnseen(at);
    if (walkOnHeightsPerSecond !== null && gap > 0 && gap <= RESTART_VELOCITY_MAX_GAP_SECONDS) {
      const vx = (to[0] - from[0]) / gap;
      const vy = (to[1] - from[1]) / gap;
      const maxSpeed = walkOnHeightsPerSecond * from[3];
      const scale = Math.min(1, maxSpeed / Math.max(1e-9, Math.hypot(vx, vy)));
      this.kalman.mean[4] = vx * scale;
      this.kalman.mean[5] = vy * scale;
    }
    this.predictedAt = at;
    this.matched(detection, at, learnAppearance);
  }

  private matched(detection: TrackInput, at: number, learnAppearance: boolean): void {
    this.lastBox = [...detection.box];
    this.hits++;
    this.score = detection.score;
    this.lastSeenAt = at;
    if (detection.appearance && (learnAppearance || !this.appearance)) {
      this.appearance = this.appearance
        ? this.appearance.map(
            (v, i) => (1 - APPEARANCE_MOMENTUM) * v + APPEARANCE_MOMENTUM * detection.appearance![i],
          )
        : [...detection.appearance];
    }
  }
}
