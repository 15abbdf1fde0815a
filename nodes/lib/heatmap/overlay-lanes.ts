import type { HeatGrid } from './heat-grid';
import { DEFAULT_OVERLAY, OverlayPainter } from './overlay';
import { OverlaySchedule } from './overlay-schedule';

/**
 * The heat overlay of every camera: one painter per camera (each keeps its camera's heat layer), and
 * one schedule that says when a camera's next overlay frame is due. A camera's frames are drawn on
 * its own clock, never two at once, and not while its feeds report nobody watching.
 */
export class OverlayLanes {
  private readonly schedule: OverlaySchedule;
  private readonly painters = new Map<string, OverlayPainter>();

  /** `fps` 0: no overlay is drawn at all. */
  constructor(
    fps: number,
    private readonly alpha = DEFAULT_OVERLAY.alpha,
  ) {
    this.schedule = new OverlaySchedule(fps);
  }

  /**
   * This camera's frame with `grid` drawn over it, when an overlay frame is due; null when not (too
   * soon, the last one still drawing, nobody watching, or overlays off).
   */
  draw(cameraId: string, frameJpeg: Buffer, grid: HeatGrid, now: number): Promise<Buffer> | null {
    if (!this.schedule.begin(cameraId, now)) return null;
    let painter = this.painters.get(cameraId);
    if (!painter) {
      painter = new OverlayPainter({ ...DEFAULT_OVERLAY, alpha: this.alpha });
      this.painters.set(cameraId, painter);
    }
    return painter.paint(frameJpeg, grid, now).finally(() => this.schedule.end(cameraId));
  }

  /** How many watch this camera's overlay on one feed (a video-out node's report). */
  setViewers(cameraId: string, count: number, now: number, feed = ''): void {
    this.schedule.setViewers(cameraId, count, now, feed);
  }

  clear(): void {
    this.schedule.clear();
    this.painters.clear();
  }
}
