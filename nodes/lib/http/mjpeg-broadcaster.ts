import { mjpegPartHeader, mjpegResponseHeaders, MJPEG_BOUNDARY, MJPEG_PART_END } from './mjpeg-multipart';

/** The part of an HTTP response the broadcaster uses (http.ServerResponse satisfies it). */
export interface MjpegResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  flushHeaders(): void;
  write(chunk: Buffer): boolean;
  end(): unknown;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
  destroy(): unknown;
  readonly destroyed: boolean;
  /** Bytes written but not yet handed to the OS. */
  readonly writableLength: number;
}

/** A viewer whose connection has taken no data for this long is disconnected (default). */
const STUCK_VIEWER_MS = 30000;

/**
 * One viewer. At most one frame is in the response's buffer and at most one more waits here: a
 * viewer slower than the camera gets the newest frame when it is ready for one, and the frames in
 * between are skipped, never queued.
 */
class MjpegViewer {
  sent = 0;
  skipped = 0;
  private writing = false;
  private writingSince = 0;
  private pending: Buffer | null = null;

  constructor(
    private readonly res: MjpegResponse,
    private readonly boundary: string,
    private readonly stuckAfterMs: number,
  ) {
    res.on('drain', this.onDrain);
  }

  offer(jpeg: Buffer): void {
    if (this.res.destroyed) return;
    if (this.writing) {
      if (Date.now() - this.writingSince > this.stuckAfterMs) {
        // Connected but not reading (a paused tab, a dead peer): free its socket and buffer.
        this.res.destroy();
        return;
      }
      if (this.pending) this.skipped++;
      this.pending = jpeg;
      return;
    }
    this.write(jpeg);
  }

  detach(): void {
    this.res.removeListener('drain', this.onDrain);
    this.pending = null;
  }

  private write(jpeg: Buffer): void {
    this.res.write(mjpegPartHeader(jpeg.length, this.boundary));
    this.res.write(jpeg);
    // write() returns false once the socket's buffer is over its high-water mark: wait for
    // 'drain' before the next frame, so the buffer holds at most this one.
    this.writing = !this.res.write(MJPEG_PART_END);
    this.writingSince = Date.now();
    this.sent++;
  }

  private readonly onDrain = (): void => {
    this.writing = false;
    const next = this.pending;
    this.pending = null;
    if (next && !this.res.destroyed) this.write(next);
  };
}

export interface MjpegBroadcasterOptions {
  /** 0 = no limit. */
  maxClients?: number;
  boundary?: string;
  /** Called whenever a viewer joins or leaves. */
  onClientsChanged?: (count: number) => void;
  /** A viewer whose socket has taken nothing for this long is disconnected (30 s). */
  stuckViewerMs?: number;
}

/** Serves the newest JPEG frame to any number of MJPEG viewers. */
export class MjpegBroadcaster {
  private readonly viewers = new Map<MjpegResponse, MjpegViewer>();
  private latest: Buffer | null = null;
  private readonly maxClients: number;
  private readonly boundary: string;
  private readonly onClientsChanged: (count: number) => void;
  private readonly stuckViewerMs: number;

  constructor(options: MjpegBroadcasterOptions = {}) {
    this.stuckViewerMs = options.stuckViewerMs ?? STUCK_VIEWER_MS;
    this.maxClients = options.maxClients ?? 0;
    this.boundary = options.boundary ?? MJPEG_BOUNDARY;
    this.onClientsChanged = options.onClientsChanged ?? (() => {});
  }

  get clientCount(): number {
    return this.viewers.size;
  }

  /** Bytes held in memory for the viewers (their response buffers): bounded by ~2 frames each. */
  get bufferedBytes(): number {
    let total = 0;
    for (const res of this.viewers.keys()) total += res.writableLength;
    return total;
  }

  /** Frames skipped for slow viewers, summed over the current viewers. */
  get skippedFrames(): number {
    let total = 0;
    for (const viewer of this.viewers.values()) total += viewer.skipped;
    return total;
  }

  /**
   * Starts streaming to a new response. Returns false (and sends nothing) when the viewer limit is
   * reached, so the caller can answer 503.
   */
  addClient(res: MjpegResponse): boolean {
    if (this.maxClients > 0 && this.viewers.size >= this.maxClients) return false;
    res.writeHead(200, mjpegResponseHeaders(this.boundary));
    // Send the headers now: a viewer that connects before the first frame knows it is connected.
    res.flushHeaders();
    const viewer = new MjpegViewer(res, this.boundary, this.stuckViewerMs);
    this.viewers.set(res, viewer);
    res.on('close', () => this.removeClient(res));
    // A new viewer sees a picture at once instead of waiting for the next frame.
    if (this.latest) viewer.offer(this.latest);
    this.onClientsChanged(this.viewers.size);
    return true;
  }

  publish(jpeg: Buffer): void {
    this.latest = jpeg;
    for (const viewer of this.viewers.values()) viewer.offer(jpeg);
  }

  /** Ends every stream (on close/redeploy). */
  closeAll(): void {
    for (const res of [...this.viewers.keys()]) {
      this.removeClient(res);
      res.end();
    }
    this.latest = null;
  }

  private removeClient(res: MjpegResponse): void {
    const viewer = this.viewers.get(res);
    if (!viewer) return;
    viewer.detach();
    this.viewers.delete(res);
    this.onClientsChanged(this.viewers.size);
  }
}
