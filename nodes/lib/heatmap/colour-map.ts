/**
 * Turns heat into colours: a scale fixed by a high percentile of the non-zero cells (so one very busy
 * spot does not wash out everything else, and a quiet morning still shows where people were), then
 * the familiar blue-cyan-yellow-red "jet" map of the app this replaces (OpenCV's COLORMAP_JET).
 */

/** The value that maps to full red: the given percentile (0..100) of the cells above zero. */
export function percentileScale(cells: Float32Array, percentile = 99): number {
  const positive: number[] = [];
  for (let i = 0; i < cells.length; i++) if (cells[i] > 0) positive.push(cells[i]);
  if (positive.length === 0) return 0;
  positive.sort((a, b) => a - b);
  const index = Math.min(
    positive.length - 1,
    Math.max(0, Math.ceil((percentile / 100) * positive.length) - 1),
  );
  return positive[index];
}

/** Jet colour of a level 0..1 as [r, g, b] bytes: dark blue, blue, cyan, yellow, red, dark red. */
export function jet(level: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, level));
  // Each channel is a tent: blue peaks at 1/4, green at 1/2, red at 3/4 (MATLAB/OpenCV jet).
  const tent = (peak: number) => Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - 4 * peak))));
  return [tent(0.75), tent(0.5), tent(0.25)];
}

/** 256-entry lookup table of jet colours, RGB interleaved. */
export const JET_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) table.set(jet(i / 255), i * 3);
  return table;
})();

/**
 * Colours the grid into an RGBA image of cols x rows pixels (one per cell); alpha is the level
 * times `maxAlpha` (0..255), so cells nobody visited stay transparent over the video.
 */
export function colouriseGrid(cells: Float32Array, scale: number, maxAlpha = 255): Uint8Array {
  const out = new Uint8Array(cells.length * 4);
  if (!(scale > 0)) return out;
  for (let i = 0; i < cells.length; i++) {
    const level = Math.min(1, cells[i] / scale);
    if (level <= 0) continue;
    const t = Math.round(level * 255) * 3;
    out[i * 4] = JET_TABLE[t];
    out[i * 4 + 1] = JET_TABLE[t + 1];
    out[i * 4 + 2] = JET_TABLE[t + 2];
    out[i * 4 + 3] = Math.round(level * maxAlpha);
  }
  return out;
}

/**
 * Colours a difference of two heats (a - b) into RGBA, one pixel per cell: red where `a` had more,
 * blue where it had less, transparent where they match; `scale` is the difference shown at full
 * colour. A diverging map, so "more" and "less" read apart at a glance.
 */
export function colouriseDifference(diff: Float32Array, scale: number, maxAlpha = 255): Uint8Array {
  const out = new Uint8Array(diff.length * 4);
  if (!(scale > 0)) return out;
  for (let i = 0; i < diff.length; i++) {
    const level = Math.max(-1, Math.min(1, diff[i] / scale));
    if (level === 0) continue;
    const strength = Math.abs(level);
    // From white-ish at small differences to deep red (more) or deep blue (less).
    const fade = Math.round(255 * (1 - strength));
    out.set(
      level > 0
        ? [255 - Math.round(75 * strength), fade, fade]
        : [fade, fade, 255 - Math.round(75 * strength)],
      i * 4,
    );
    out[i * 4 + 3] = Math.round(Math.sqrt(strength) * maxAlpha);
  }
  return out;
}
