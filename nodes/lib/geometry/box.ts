/**
 * The one family of axis-aligned boxes [x1, y1, x2, y2] (x1 <= x2, y1 <= y2 when well formed): what the
 * detector finds and the tracker follows (frame pixels), where the motion gate saw change (fractions
 * 0..1 of the frame), where the background model masks people out. The unit is the user's; the
 * arithmetic is the same.
 */
export type Box = [x1: number, y1: number, x2: number, y2: number];

/** A box its holder does not change (a person's box kept in a frame message, a motion region). */
export type ReadonlyBox = Readonly<Box>;

/** Whether a value from a message is a box: four finite numbers (its order is not checked). */
export function isBox(value: unknown): value is Box {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/** The area; an inverted box has none. */
export function boxArea(b: ReadonlyBox): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/** The smallest box holding both. */
export function boxUnion(a: ReadonlyBox, b: ReadonlyBox): Box {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** The distance between two boxes along the axis where they are furthest apart (0 when they touch or overlap). */
export function boxGap(a: ReadonlyBox, b: ReadonlyBox): number {
  const dx = Math.max(a[0], b[0]) - Math.min(a[2], b[2]);
  const dy = Math.max(a[1], b[1]) - Math.min(a[3], b[3]);
  return Math.max(0, dx, dy);
}

/** Intersection over union of two boxes: 0 when they do not overlap, 1 when they are the same. */
export function iou(a: ReadonlyBox, b: ReadonlyBox): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}
