import { iou, type Box } from '../geometry/box';
import { assign } from './assignment';
import { Track, TrackInput } from './track';

/**
 * Tracker settings. Each is named for what it means; the comment says what raising it trades.
 */
export interface TrackerOptions {
  /**
   * Detections scoring at least this start tracks and are matched first. Raising it ignores
   * doubtful boxes (fewer false tracks, more misses); lowering it lets clutter start tracks.
   */
  trackActivationThreshold: number;
  /**
   * Detections between this and the activation threshold only continue tracks that exist
   * (ByteTrack's second stage): a half-hidden person keeps their track. Raising it makes
   * occlusions break tracks sooner.
   */
  lowScoreThreshold: number;
  /**
   * Least overlap (IoU) between a track's predicted box and a detection for them to match.
   * Lowering it follows fast or jerky motion at the risk of swapping neighbours.
   */
  minimumMatchingIou: number;
  /**
   * How long (seconds of capture time) a lost track is kept so its person can be found again
   * under the same ID. Longer bridges longer occlusions but may give a newcomer an old ID.
   */
  lostTrackBufferSeconds: number;
  /**
   * Matches needed before a track gets an ID. Raising it filters more one-off ghosts but makes
   * people count a moment later (and very brief passers-by not at all).
   */
  minimumHitsToConfirm: number;
  /**
   * Colour similarity (0..1) a returning person needs to take back a lost track's ID when their
   * box no longer overlaps the prediction. Lowering it rejoins more tracks and risks giving two
   * similarly dressed people one ID.
   */
  reidSimilarityThreshold: number;
  /**
   * Fastest plausible movement, in body heights per second: a lost track is only re-attached to
   * a detection it could have walked to. Raising it allows longer jumps (and more wrong ones).
   */
  maximumSpeedHeightsPerSecond: number;
  /**
   * Below this colour similarity a track and a detection never match, however they overlap:
   * stops two crossing people from swapping IDs. On the demo clip the same person scores ~0.9 from
   * frame to frame and differently dressed people ~0.3-0.5 (the background is shared), and a
   * walker passing a standing man swapped IDs at 0.4 but not at 0.5 or above. Raising it further
   * breaks tracks when lighting changes a person's colours. 0 turns the veto off.
   */
  appearanceVetoThreshold: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  trackActivationThreshold: 0.5,
  lowScoreThreshold: 0.1,
  minimumMatchingIou: 0.2,
  lostTrackBufferSeconds: 5,
  minimumHitsToConfirm: 3,
  reidSimilarityThreshold: 0.85,
  maximumSpeedHeightsPerSecond: 2,
  appearanceVetoThreshold: 0.6,
};

/** A tentative track may miss this long (one or two frames) before it counts as a ghost. */
const TENTATIVE_GRACE_SECONDS = 0.35;
/** The most colour difference may add to the cost, when the prediction is least sure. */
const MAX_APPEARANCE_WEIGHT = 0.9;
/** Time since the last detection (beyond one frame) after which colour weighs the most. */
const FULL_APPEARANCE_WEIGHT_SECONDS = 0.4;
/** The time one frame spans at the 10 fps the confirmation setting was chosen for. */
const CONFIRMATION_FRAME_SECONDS = 0.1;
/** Gaps up to this long count as consecutive frames (10 fps cameras and a little jitter). */
const ONE_FRAME_SECONDS = 0.12;
/** Growth of the matching buffer, in body heights per second of time since the last detection. */
const MARGIN_HEIGHTS_PER_SECOND = 0.5;
/** How much colour difference adds to the matching cost (1 - IoU), to break near ties. */
const APPEARANCE_WEIGHT = 0.3;

export interface TrackedObject {
  id: number;
  box: Box;
  score: number;
  label: string;
  /** ms since the object was first detected. */
  ageMs: number;
  /** Bottom centre of the box: where the person stands on the floor. */
  footPoint: [number, number];
  state: 'tracked';
}

/**
 * Multi-object tracker, ByteTrack at its core (Kalman prediction, two-stage association of high-
 * and low-score detections, confirmation before an ID is issued), with additions for counting
 * people: time-based buffers from capture timestamps, lost tracks searched in a window that grows
 * with time unseen, a colour veto against swaps at crossings, and re-attachment of a returning
 * person to their old ID by colour within a motion gate.
 */
export class ByteTracker {
  private readonly options: TrackerOptions;
  private tracks: Track[] = [];
  private lastIdIssued = 0;
  private lastUpdateAt: number | null = null;
  /** Detections of the current frame that overlap another one (their colours are mixed). */
  private crowded = new Set<TrackInput>();
  /** Whether frames went by without detection before this update (the detector runs sparser). */
  private sparse = false;
  private predictedSinceUpdate = false;
  /** Seconds between this update and the one before. */
  private detectionGapSeconds = 0;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  /** People given an ID since the last reset. */
  get uniqueCount(): number {
    return this.lastIdIssued;
  }

  /** Tracks held in memory (tentative, tracked and lost): stays bounded as people come and go. */
  get liveTrackCount(): number {
    return this.tracks.length;
  }

  reset(): void {
    this.tracks = [];
    this.lastIdIssued = 0;
    this.lastUpdateAt = null;
  }

  /**
   * Feeds the detections of one frame captured at `at` (ms) and returns the confirmed tracks
   * seen in it. Frames must come in capture order; an older frame is ignored.
   */
  update(detections: readonly TrackInput[], at: number): TrackedObject[] {
    if (this.lastUpdateAt !== null && at < this.lastUpdateAt) return [];
    // Frames passed over by the detector since the last update make this a sparse update.
    this.sparse = this.predictedSinceUpdate;
    this.predictedSinceUpdate = false;
    this.detectionGapSeconds = this.lastUpdateAt === null ? 0 : (at - this.lastUpdateAt) / 1000;
    this.lastUpdateAt = at;
    const o = this.options;
    for (const t of this.tracks) t.predictTo(at);

    this.crowded = crowdedDetections(detections);
    const high = detections.filter((d) => d.score >= o.trackActivationThreshold);
    const low = detections.filter(
      (d) => d.score >= o.lowScoreThreshold && d.score < o.trackActivationThreshold,
    );
    const seen = new Set<Track>();

    // 1. Confirmed and lost tracks against confident detections: overlap plus colour.
    const established = this.tracks.filter((t) => t.state !== 'tentative');
    let remainingHigh = this.match(established, high, at, o.minimumMatchingIou, seen);

    // 2. Tracks still unmatched (not lost ones) against doubtful detections: overlap only.
    const stillTracked = established.filter((t) => t.state === 'tracked' && !seen.has(t));
    this.match(stillTracked, low, at, 0.5, seen, false);

    // 3. Tentative tracks against the remaining confident detections.
    const tentative = this.tracks.filter((t) => t.state === 'tentative');
    remainingHigh = this.match(tentative, remainingHigh, at, o.minimumMatchingIou, seen);

    // 4. A lost person coming back where the prediction did not reach: same colours, reachable.
    const lost = this.tracks.filter((t) => t.state === 'lost' && !seen.has(t));
    remainingHigh = this.reattach(lost, remainingHigh, at, seen);

    // 5. New tentative tracks from confident detections nobody claimed.
    for (const d of remainingHigh) {
      const track = new Track(d, at);
      this.tracks.push(track);
      seen.add(track);
    }

    // Lifecycle: confirm, lose, forget.
    this.tracks = this.tracks.filter((t) => {
      if (seen.has(t)) {
        if (t.state === 'tentative' && t.hits >= this.hitsToConfirm()) {
          t.id = ++this.lastIdIssued;
        }
        if (t.id > 0) t.state = 'tracked';
        return true;
      }
      if (t.state === 'tentative') return t.secondsUnseen(at) <= this.tentativeGraceSeconds();
      t.state = 'lost';
      return t.secondsUnseen(at) <= o.lostTrackBufferSeconds;
    });

    return this.tracks.filter((t) => t.state === 'tracked' && t.lastSeenAt === at).map((t) => tracked(t, at));
  }

  /**
   * A frame at `at` that was not given to the detector: the confirmed tracks moved to it by their
   * motion model, nothing learnt or counted as missed (the lost buffer runs on capture time anyway).
   */
  predict(at: number): TrackedObject[] {
    this.predictedSinceUpdate = true;
    // The filters are not moved: nothing is learnt from a frame without detections, and the next
    // update predicts from the last one itself.
    return this.tracks.filter((t) => t.state === 'tracked').map((t) => tracked(t, at, t.boxAt(at)));
  }

  /**
   * How long a tentative track may go unmatched: a frame or two, or with sparse detections one
   * missed detection (else no track could be confirmed when the detector runs every 4th frame).
   */
  private tentativeGraceSeconds(): number {
    return Math.max(TENTATIVE_GRACE_SECONDS, this.sparse ? 1.5 * this.detectionGapSeconds : 0);
  }

  /**
   * Matches before a track gets an ID. The setting is for a detection on every frame; when the
   * detector runs sparser, as many matches span more time (3 at 10 fps: 0.2 s; every 4th frame:
   * 0.8 s, people passing quickly would count late or not at all), so the evidence asked is kept to
   * about the same time span, never fewer than 2 matches.
   */
  private hitsToConfirm(): number {
    const o = this.options;
    if (!this.sparse || this.detectionGapSeconds <= 0) return o.minimumHitsToConfirm;
    const span = (o.minimumHitsToConfirm - 1) * CONFIRMATION_FRAME_SECONDS;
    return Math.min(
      o.minimumHitsToConfirm,
      Math.max(2, 1 + Math.ceil(span / this.detectionGapSeconds - 1e-9)),
    );
  }

  /** Matches tracks to detections (Hungarian); updates matched tracks; returns the unmatched detections. */
  private match(
    tracks: Track[],
    detections: readonly TrackInput[],
    at: number,
    minimumIou: number,
    seen: Set<Track>,
    useAppearance = true,
  ): TrackInput[] {
    if (tracks.length === 0 || detections.length === 0) return [...detections];
    const veto = this.options.appearanceVetoThreshold;
    const cost = tracks.map((t) => {
      const region = t.state === 'lost' ? t.searchBox(at) : t.box;
      const margin = t.state === 'lost' || !this.sparse ? 0 : uncertaintyMargin(t, at);
      const appearanceWeight = this.sparse ? sparseAppearanceWeight(t, at) : APPEARANCE_WEIGHT;
      return detections.map((d) => {
        const overlap = margin > 0 ? iou(grow(region, margin), grow(d.box, margin)) : iou(region, d.box);
        if (overlap < minimumIou) return Infinity;
        const similarity = useAppearance ? t.appearanceSimilarity(d) : null;
        if (similarity === null) return 1 - overlap;
        if (similarity < veto) return Infinity;
        return 1 - overlap + appearanceWeight * (1 - similarity);
      });
    });
    const { matches, unmatchedCols } = assign(cost, 1 - minimumIou + MAX_APPEARANCE_WEIGHT);
    for (const [r, c] of matches) {
      tracks[r].update(detections[c], at, !this.crowded.has(detections[c]));
      seen.add(tracks[r]);
    }
    return unmatchedCols.map((c) => detections[c]);
  }

  private reattach(
    lost: Track[],
    detections: readonly TrackInput[],
    at: number,
    seen: Set<Track>,
  ): TrackInput[] {
    if (lost.length === 0 || detections.length === 0) return [...detections];
    const o = this.options;
    const cost = lost.map((t) => {
      // From where the person was last seen, with their real size (not the drifting prediction).
      const [x1, y1, x2, y2] = t.lastBox;
      const height = y2 - y1;
      const reach = (o.maximumSpeedHeightsPerSecond * t.secondsUnseen(at) + 0.5) * height;
      return detections.map((d) => {
        const similarity = t.appearanceSimilarity(d);
        if (similarity === null || similarity < o.reidSimilarityThreshold) return Infinity;
        const dx = (d.box[0] + d.box[2]) / 2 - (x1 + x2) / 2;
        const dy = (d.box[1] + d.box[3]) / 2 - (y1 + y2) / 2;
        return Math.hypot(dx, dy) <= reach ? 1 - similarity : Infinity;
      });
    });
    const { matches, unmatchedCols } = assign(cost, 1 - o.reidSimilarityThreshold);
    for (const [r, c] of matches) {
      const walkOn = this.sparse ? o.maximumSpeedHeightsPerSecond : null;
      lost[r].restart(detections[c], at, !this.crowded.has(detections[c]), walkOn);
      seen.add(lost[r]);
    }
    return unmatchedCols.map((c) => detections[c]);
  }
}

/**
 * How far (px, each side) a track's prediction may be off when it is next compared with a detection:
 * nothing from one frame to the next, growing with the time since its last detection. With sparse
 * detections (one every 4 frames) a narrow person walking across keeps no overlap with a prediction
 * whose velocity is a little wrong; buffering both boxes by the uncertainty (as C-BIoU does) matches them
 * again, and only where the person could have got to.
 */
function uncertaintyMargin(t: Track, at: number): number {
  return MARGIN_HEIGHTS_PER_SECOND * secondsBeyondOneFrame(t, at) * (t.lastBox[3] - t.lastBox[1]);
}

/** Time since the track's last detection beyond what one frame's gap would be. */
function secondsBeyondOneFrame(t: Track, at: number): number {
  return Math.max(0, t.secondsUnseen(at) - ONE_FRAME_SECONDS);
}

/**
 * The weight of colour in the matching cost once the prediction is less sure: the longer since a
 * track's last detection, the more its position is a guess and the more its colours tell who is who.
 */
function sparseAppearanceWeight(t: Track, at: number): number {
  const doubt = Math.min(1, secondsBeyondOneFrame(t, at) / FULL_APPEARANCE_WEIGHT_SECONDS);
  return APPEARANCE_WEIGHT + (MAX_APPEARANCE_WEIGHT - APPEARANCE_WEIGHT) * doubt;
}

function grow(b: Box, margin: number): Box {
  return [b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin];
}

function tracked(t: Track, at: number, box: Box = t.box): TrackedObject {
  return {
    id: t.id,
    box,
    score: t.score,
    label: t.label,
    ageMs: at - t.firstSeenAt,
    footPoint: [(box[0] + box[2]) / 2, box[3]],
    state: 'tracked',
  };
}

/** Overlap above which two boxes share pixels enough to mix their colour histograms. */
const CROWDED_IOU = 0.1;

function crowdedDetections(detections: readonly TrackInput[]): Set<TrackInput> {
  const crowded = new Set<TrackInput>();
  for (let i = 0; i < detections.length; i++) {
    for (let j = i + 1; j < detections.length; j++) {
      if (iou(detections[i].box, detections[j].box) > CROWDED_IOU) {
        crowded.add(detections[i]);
        crowded.add(detections[j]);
      }
    }
  }
  return crowded;
}
