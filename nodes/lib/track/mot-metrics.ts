import { iou, type Box } from '../geometry/box';
import { assign } from './assignment';

/** One box of one frame: ground truth or tracker output. */
export interface MotBox {
  frame: number;
  id: number;
  box: Box;
}

export interface MotMetrics {
  /** 1 - (misses + false positives + ID switches) / ground-truth boxes (CLEAR MOT). */
  mota: number;
  /** ID F1: share of boxes matched to the right identity over the whole sequence. */
  idf1: number;
  idSwitches: number;
  falsePositives: number;
  misses: number;
  groundTruthBoxes: number;
  /** Distinct IDs in the tracker output and in the ground truth. */
  trackerIds: number;
  groundTruthIds: number;
  /** (trackerIds - groundTruthIds) / groundTruthIds. */
  uniqueIdError: number;
}

/**
 * CLEAR MOT and ID metrics at IoU 0.5, as MOTChallenge computes them: per frame, ground truth and
 * hypotheses are matched (keeping last frame's pairs when they still overlap); IDF1 comes from the
 * best one-to-one pairing of whole identities.
 */
export function motMetrics(
  truth: readonly MotBox[],
  tracked: readonly MotBox[],
  threshold = 0.5,
): MotMetrics {
  const frames = [...new Set([...truth, ...tracked].map((b) => b.frame))].sort((a, b) => a - b);
  const byFrame = (boxes: readonly MotBox[]) => {
    const map = new Map<number, MotBox[]>();
    for (const b of boxes) map.set(b.frame, [...(map.get(b.frame) ?? []), b]);
    return map;
  };
  const truthAt = byFrame(truth);
  const trackedAt = byFrame(tracked);
  const lastMatch = new Map<number, number>(); // gt id -> hyp id
  const truthIds = [...new Set(truth.map((b) => b.id))];
  const hypIds = [...new Set(tracked.map((b) => b.id))];
  const together = new Map<string, number>(); // frames where gt and hyp overlap >= threshold
  let misses = 0;
  let falsePositives = 0;
  let idSwitches = 0;

  for (const f of frames) {
    const gts = truthAt.get(f) ?? [];
    const hyps = trackedAt.get(f) ?? [];
    for (const g of gts) {
      for (const h of hyps) {
        if (iou(g.box, h.box) >= threshold) {
          const key = `${g.id}/${h.id}`;
          together.set(key, (together.get(key) ?? 0) + 1);
        }
      }
    }
    // Prefer the pairs of the previous frame (a small bonus), as CLEAR MOT does.
    const cost = gts.map((g) =>
      hyps.map((h) => {
        const overlap = iou(g.box, h.box);
        if (overlap < threshold) return Infinity;
        return 1 - overlap - (lastMatch.get(g.id) === h.id ? 1 : 0) + 1;
      }),
    );
    const { matches } = assign(cost, 2);
    for (const [gi, hi] of matches) {
      const g = gts[gi];
      const h = hyps[hi];
      const previous = lastMatch.get(g.id);
      if (previous !== undefined && previous !== h.id) idSwitches++;
      lastMatch.set(g.id, h.id);
    }
    misses += gts.length - matches.length;
    falsePositives += hyps.length - matches.length;
  }

  // IDF1: one-to-one pairing of identities maximising boxes shared.
  const idCost = truthIds.map((g) => hypIds.map((h) => -(together.get(`${g}/${h}`) ?? 0)));
  const { matches: idMatches } = assign(idCost, 0);
  const idTruePositives = idMatches.reduce((sum, [g, h]) => sum - idCost[g][h], 0);
  const idf1 =
    truth.length + tracked.length > 0 ? (2 * idTruePositives) / (truth.length + tracked.length) : 1;

  return {
    mota: truth.length > 0 ? 1 - (misses + falsePositives + idSwitches) / truth.length : 1,
    idf1,
    idSwitches,
    falsePositives,
    misses,
    groundTruthBoxes: truth.length,
    trackerIds: hypIds.length,
    groundTruthIds: truthIds.length,
    uniqueIdError: truthIds.length > 0 ? (hypIds.length - truthIds.length) / truthIds.length : 0,
  };
}
