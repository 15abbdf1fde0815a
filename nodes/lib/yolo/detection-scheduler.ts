/**
 * How much a camera needs its waiting frame detected, as the yolo-detect node judges it.
 * - 'active': something moves or people are tracked; tracks die when detections stop coming.
 * - 'refresh': nothing moves; a detection now and then finds people who stand still.
 */
export type Urgency = 'active' | 'refresh';

/**
 * How long a 'refresh' frame waits behind 'active' ones before it competes with them. Its camera's
 * later frames wait behind it (they leave yolo-detect in order), so this is also how long a still
 * camera's tracks may lag at most on a busy box; well under the 2 s after which they go on without it.
 */
export const DEFAULT_MAX_REFRESH_WAIT_MS = 1000;

export interface DetectionSchedulerOptions {
  /** Default DEFAULT_MAX_REFRESH_WAIT_MS. */
  maxRefreshWaitMs?: number;
}

interface Camera {
  dispatched: number;
  /** The dispatch serial of this camera's last dispatch; 0 when it has never been served. */
  lastServed: number;
  waiting: {
    urgency: Urgency;
    /** When the camera started waiting (a replaced frame keeps it). */
    since: number;
    /** Arrival serial, for ties: the camera that came first goes first. */
    arrival: number;
  } | null;
}

/**
 * Chooses which camera's waiting frame a free inference session takes, so the box's inference
 * budget goes where people are and no camera starves.
 *
 * Two classes: 'active' cameras, and 'refresh' cameras that have waited longer than
 * `maxRefreshWaitMs`, go before 'refresh' cameras that have not. An empty camera thus takes a
 * session only when no camera with people wants one, or once every `maxRefreshWaitMs`: the cameras
 * where tracks live get the detections, and a person standing still in an empty-looking view is
 * still found within about that time.
 *
 * Within a class the camera served least recently goes first (never served: before all; ties by
 * arrival). Over cameras that always have a frame waiting this is round-robin: the camera just
 * served goes to the back, so each of the busy cameras is served once before any is served twice,
 * whatever their frame rates; a camera sending frames 5x as often only has more of them replaced.
 * More precisely, while a camera waits, no other camera of its class is served twice: the other's
 * first dispatch makes it more recently served than the waiting one. That is the share guarantee,
 * and it needs no clock, so bursts and uneven inference times cannot skew it.
 *
 * An overdue 'refresh' camera joins the 'active' class instead of going ahead of it: it was last
 * served at least `maxRefreshWaitMs` ago, so it is ahead of every active camera that gets its turn
 * within that time, yet when there are so many empty cameras that their refreshes alone would fill
 * the model, the active cameras still get their round-robin turns rather than starving.
 *
 * Pure bookkeeping, O(cameras) per pick (a store PC has at most a few dozen).
 */
export class DetectionScheduler<K> {
  private readonly maxRefreshWaitMs: number;
  private readonly cameras = new Map<K, Camera>();
  private dispatches = 0;
  private arrivals = 0;

  constructor(options: DetectionSchedulerOptions = {}) {
    this.maxRefreshWaitMs = options.maxRefreshWaitMs ?? DEFAULT_MAX_REFRESH_WAIT_MS;
  }

  /**
   * The camera has a frame waiting. When it already had one (a newer frame replaced it), it keeps
   * its place and its waiting time and only takes the new urgency: a camera streaming faster than
   * the model would otherwise always be the newest arrival, and a 'refresh' one would never age.
   */
  want(key: K, urgency: Urgency, now: number): void {
    const camera = this.camera(key);
    if (camera.waiting) camera.waiting.urgency = urgency;
    else camera.waiting = { urgency, since: now, arrival: ++this.arrivals };
  }

  /** The camera no longer has a frame waiting (its counters stay). */
  cancel(key: K): void {
    const camera = this.cameras.get(key);
    if (camera) camera.waiting = null;
  }

  /** The camera is gone: drops its waiting frame and its counters. */
  forget(key: K): void {
    this.cameras.delete(key);
  }

  /**
   * The waiting camera whose frame the free session takes, or null when none waits; it stops
   * waiting and the dispatch is recorded.
   */
  pick(now: number): K | null {
    let best: { key: K; camera: Camera; rank: number } | null = null;
    for (const [key, camera] of this.cameras) {
      const waiting = camera.waiting;
      if (!waiting) continue;
      const overdue = now - waiting.since > this.maxRefreshWaitMs;
      const rank = waiting.urgency === 'active' || overdue ? 0 : 1;
      if (
        !best ||
        rank < best.rank ||
        (rank === best.rank &&
          (camera.lastServed < best.camera.lastServed ||
            (camera.lastServed === best.camera.lastServed && waiting.arrival < best.camera.waiting!.arrival)))
      ) {
        best = { key, camera, rank };
      }
    }
    if (!best) return null;
    best.camera.waiting = null;
    best.camera.dispatched++;
    best.camera.lastServed = ++this.dispatches;
    return best.key;
  }

  /** Frames of this camera that went to a session (0 for an unknown camera). */
  dispatched(key: K): number {
    return this.cameras.get(key)?.dispatched ?? 0;
  }

  /** Whether the camera has a frame waiting. */
  isWaiting(key: K): boolean {
    return this.cameras.get(key)?.waiting != null;
  }

  private camera(key: K): Camera {
    let camera = this.cameras.get(key);
    if (!camera) {
      camera = { dispatched: 0, lastServed: 0, waiting: null };
      this.cameras.set(key, camera);
    }
    return camera;
  }
}
