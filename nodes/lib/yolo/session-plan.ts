/** Most sessions "auto" starts: each holds its own copy of the model (~60 MB for yolov8n). */
export const MAX_AUTO_SESSIONS = 8;

/**
 * How many sessions infer at once: the configured number, or with 0 ("auto") as many as the
 * cores hold at `threads` threads each. On a small CPU several 1-thread sessions side by side
 * detect more frames per second than one session with every core (see shared-detector.ts).
 */
export function sessionCount(requested: number, threads: number, cores: number): number {
  if (requested > 0) return requested;
  return Math.min(MAX_AUTO_SESSIONS, Math.max(1, Math.floor(cores / Math.max(1, threads))));
}
