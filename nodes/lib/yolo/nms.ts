import type { Box } from './letterbox';

export function boxArea(b: Readonly<Box>): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

export function iou(a: Readonly<Box>, b: Readonly<Box>): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

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
