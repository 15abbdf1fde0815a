/** A point in source-frame pixels, x to the right and y down. */
export type Point = readonly [number, number];

/**
 * Where `p` lies against the line from `from` to `to`: `distance` is the signed distance in pixels,
 * the sign of cross(to - from, p - from) (> 0 on one side, < 0 on the other); `along` is where its
 * foot falls on the segment, 0 at `from` and 1 at `to` (outside [0, 1]: beyond an end).
 */
export function sideOfLine(from: Point, to: Point, p: Point): { distance: number; along: number } {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return { distance: 0, along: 0 };
  const px = p[0] - from[0];
  const py = p[1] - from[1];
  return { distance: (dx * py - dy * px) / length, along: (dx * px + dy * py) / (length * length) };
}

/** Whether `p` is inside the polygon (even-odd rule; a point on an edge may fall either way). */
export function insidePolygon(polygon: readonly Point[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
