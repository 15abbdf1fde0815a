/**
 * When to draw a camera's heat overlay: at most `fps` per camera, never two at once for one camera
 * (an encode that takes longer than the interval skips frames instead of queueing them), and not
 * while the camera's overlay stream is known to have no viewers. Each camera has its own clock, so
 * one busy camera cannot starve another's overlay or make it alternate with it.
 */
export class OverlaySchedule {
  private readonly cameras = new Map<string, { busy: boolean; lastAt: number }>();
  /** Viewers per camera, as the video-out node last reported them; unknown means "draw". */
  private readonly viewers = new Map<string, number>();

  constructor(private readonly fps: number) {}

  /** Whether to draw this camera's overlay now; if so, it is busy until `end`. */
  begin(cameraId: string, now: number): boolean {
    if (!(this.fps > 0) || this.viewers.get(cameraId) === 0) return false;
    const state = this.cameras.get(cameraId) ?? { busy: false, lastAt: -Infinity };
    this.cameras.set(cameraId, state);
    if (state.busy || now - state.lastAt < 1000 / this.fps) return false;
    state.busy = true;
    state.lastAt = now;
    return true;
  }

  end(cameraId: string): void {
    const state = this.cameras.get(cameraId);
    if (state) state.busy = false;
  }

  /** How many watch this camera's overlay stream now (0: drawing it would be wasted CPU). */
  setViewers(cameraId: string, count: number): void {
    this.viewers.set(cameraId, count);
  }

  clear(): void {
    this.cameras.clear();
    this.viewers.clear();
  }
}
