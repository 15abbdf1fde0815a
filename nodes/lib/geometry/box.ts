/** An axis-aligned box [x1, y1, x2, y2] in pixels: what the detector finds and the tracker follows. */
export type Box = [x1: number, y1: number, x2: number, y2: number];

export function boxArea(b: Readonly<Box>): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/** Intersection over union of two boxes: 0 when they do not overlap, 1 when they are the same. */
export function iou(a: Readonly<Box>, b: Readonly<Box>): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}
