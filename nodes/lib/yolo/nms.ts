import { iou, type Box } from '../geometry/box';

/**
 * Greedy non-maximum suppression per class: keeps the best-scoring box and drops boxes of the same
 * class overlapping it by more than `iouThreshold`. Returns the kept items, best first.
 */
export function nonMaxSuppression<T extends { box: Box; score: number; classId: number }>(
  items: readonly T[],
  iouThreshold: number,
  maxDetections = 300,
): T[] {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const candidate of sorted) {
    if (kept.length >= maxDetections) break;
    let suppressed = false;
    for (const k of kept) {
      if (k.classId === candidate.classId && iou(k.box, candidate.box) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(candidate);
  }
  return kept;
}
