import { MjpegBroadcaster, MjpegResponse } from './mjpeg-broadcaster';

export interface CameraStreamsOptions {
  /** Viewers per stream; 0 = no limit. */
  maxClients?: number;
  /** The camera the bare path shows; null: the first camera whose frame arrives. */
  defaultCamera?: string | null;
  /**
   * Whether the flow has a camera that has sent this stream no frame yet (a running rtsp-in names
   * it): such a camera's path is served and waits for its frames; any other is refused.
   */
  isCameraKnown?: (cameraId: string) => boolean;
  /**
   * A camera's viewers changed (bare-path viewers count for the camera they see; null: that camera is
   * not known yet), or frames keep coming for a camera nobody watches (repeated every `idleReportMs`).
   */
  onViewersChanged?: (cameraId: string | null, count: number) => void;
  /** How often to repeat "nobody watches" while that camera's frames keep coming (10 s). */
  idleReportMs?: number;
  stuckViewerMs?: number;
}

/**
 * One MJPEG stream per camera behind one path: `<path>/<camera>` shows that camera, the bare
 * `<path>` the default camera (so one camera keeps its old URL). Frames of one camera never reach
 * another camera's viewers.
 */
export class CameraStreams {
  private readonly byCamera = new Map<string, MjpegBroadcaster>();
  private readonly bare: MjpegBroadcaster;
  private readonly published = new Set<string>();
  private firstSeen: string | null = null;
  /** When "nobody watches" was last reported per camera. */
  private readonly idleReportedAt = new Map<string, number>();
  private readonly onViewersChanged: (cameraId: string | null, count: number) => void;

  constructor(private readonly options: CameraStreamsOptions = {}) {
    this.onViewersChanged = options.onViewersChanged ?? (() => {});
    this.bare = this.broadcaster(() => this.bareCamera());
  }

  /** The camera the bare path shows. */
  bareCamera(): string | null {
    return this.options.defaultCamera || this.firstSeen;
  }

  /** Cameras that have sent frames, in arrival order. */
  cameras(): string[] {
    return [...this.published];
  }

  /**
   * Whether `<path>/<cameraId>` names a camera: one whose frames came here, the configured camera of
   * the bare path, or one the flow has (isCameraKnown). A viewer of any other would wait for ever.
   */
  knows(cameraId: string): boolean {
    return (
      this.published.has(cameraId) ||
      cameraId === this.options.defaultCamera ||
      (this.options.isCameraKnown?.(cameraId) ?? false)
    );
  }

  viewerCount(): number {
    let total = this.bare.clientCount;
    for (const b of this.byCamera.values()) total += b.clientCount;
    return total;
  }

  /** Viewers of one camera, on its own path or on the bare one. */
  viewersOf(cameraId: string): number {
    return (
      (this.byCamera.get(cameraId)?.clientCount ?? 0) +
      (this.bareCamera() === cameraId ? this.bare.clientCount : 0)
    );
  }

  /** A viewer of `cameraId` (null: the bare path). False when its stream is full (answer 503). */
  addViewer(cameraId: string | null, res: MjpegResponse): boolean {
    if (cameraId === null) return this.bare.addClient(res);
    let stream = this.byCamera.get(cameraId);
    if (!stream) {
      stream = this.broadcaster(() => cameraId);
      this.byCamera.set(cameraId, stream);
    }
    return stream.addClient(res);
  }

  publish(cameraId: string, jpeg: Buffer, now = Date.now()): void {
    if (!this.published.has(cameraId)) {
      this.published.add(cameraId);
      if (this.firstSeen === null) this.firstSeen = cameraId;
      // Its viewers are known now (they may have connected before its first frame).
      this.report(cameraId, now);
    } else if (
      this.viewersOf(cameraId) === 0 &&
      now - (this.idleReportedAt.get(cameraId) ?? -Infinity) >= (this.options.idleReportMs ?? 10_000)
    ) {
      // Frames for nobody: say so again, so the sender stops making them (it may have missed the last).
      this.report(cameraId, now);
    }
    this.byCamera.get(cameraId)?.publish(jpeg);
    if (this.bareCamera() === cameraId) this.bare.publish(jpeg);
  }

  private report(cameraId: string, now: number): void {
    const count = this.viewersOf(cameraId);
    if (count === 0) this.idleReportedAt.set(cameraId, now);
    this.onViewersChanged(cameraId, count);
  }

  closeAll(): void {
    this.bare.closeAll();
    for (const stream of this.byCamera.values()) stream.closeAll();
    this.byCamera.clear();
  }

  private broadcaster(cameraOf: () => string | null): MjpegBroadcaster {
    return new MjpegBroadcaster({
      maxClients: this.options.maxClients,
      stuckViewerMs: this.options.stuckViewerMs,
      onClientsChanged: () => {
        const cameraId = cameraOf();
        // A stream of a camera that never sent a frame is dropped when its last viewer leaves.
        if (cameraId !== null && !this.published.has(cameraId)) {
          const stream = this.byCamera.get(cameraId);
          if (stream && stream.clientCount === 0) {
            this.byCamera.delete(cameraId);
            this.idleReportedAt.delete(cameraId);
          }
        }
        const count = cameraId === null ? this.bare.clientCount : this.viewersOf(cameraId);
        if (cameraId !== null && count === 0) this.idleReportedAt.set(cameraId, Date.now());
        this.onViewersChanged(cameraId, count);
      },
    });
  }
}
