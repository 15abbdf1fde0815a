/**
 * How long a report of "no viewers" holds. The video-out node repeats it while frames keep coming to
 * nobody (CameraStreams), so a stale one (that node was redeployed, or is wired elsewhere now) ends
 * in an overlay frame that draws a fresh report, never in a feed that stays dark.
 */
export const NO_VIEWERS_HOLD_MS = 30_000;

/**
 * When to draw a camera's heat overlay: at most `fps` per camera, never two at once for one camera
 * (an encode that takes longer than the interval skips frames instead of queueing them), and not
 * while the camera's overlay stream is known to have no viewers. Each camera has its own clock, so
 * one busy camera cannot starve another's overlay or make it alternate with it.
 */
export class OverlaySchedule {
  private readonly cameras = new Map<string, { busy: boolean; lastAt: number }>();
  /** Viewers per camera and feed, as each video-out node last reported them, and when; unknown: "draw". */
  private readonly viewers = new Map<string, Map<string, { count: number; at: number }>>();

  constructor(private readonly fps: number) {}

  /** Whether to draw this camera's overlay now; if so, it is busy until `end`. */
  begin(cameraId: string, now: number): boolean {
    if (!(this.fps > 0)) return false;
    // Skipped only while every feed of the camera said "nobody" lately.
    const feeds = [...(this.viewers.get(cameraId)?.values() ?? [])];
    if (feeds.length > 0 && feeds.every((f) => f.count === 0 && now - f.at < NO_VIEWERS_HOLD_MS))
      return false;
    const state = this.cameras.get(cameraId) ?? { busy: false, lastAt: -Infinity };
    this.cameras.set(cameraId, state);
    // A frame up to a fifth of an interval early still counts: with a 10 fps camera and a 5 fps
    // overlay, frames come ~200 ms apart with jitter, and a strict limit skipped every other one.
    if (state.busy || now - state.lastAt < 800 / this.fps) return false;
    state.busy = true;
    state.lastAt = now;
    return true;
  }

  end(cameraId: string): void {
    const state = this.cameras.get(cameraId);
    if (state) state.busy = false;
  }

  /** How many watch this camera's overlay on one feed now (0 on every feed: drawing it is wasted CPU). */
  setViewers(cameraId: string, count: number, now: number, feed = ''): void {
    const feeds = this.viewers.get(cameraId) ?? new Map<string, { count: number; at: number }>();
    this.viewers.set(cameraId, feeds);
    feeds.set(feed, { count, at: now });
  }

  clear(): void {
    this.cameras.clear();
    this.viewers.clear();
  }
}
