import { type CameraSelection } from '../control/command';
import { BackgroundSampler, peopleBoxes } from '../image/background-sampler';
import type { BackgroundPicture } from '../image/camera-backgrounds';
import { isJpeg } from '../image/jpeg-splitter';
import type { HeatGrid } from './heat-grid';
import type { HeatSnapshot, SnapshotReason } from './heat-snapshot';
import type { HeatmapSettings } from './heatmap-settings';
import { OverlayLanes } from './overlay-lanes';
import { type CameraStatistics, StoreHeat, type StoreStatisticsMap } from './store-heat';

/** The commands the heatmap takes, by msg.topic (see the node's help). */
export const HEATMAP_COMMANDS = ['reset', 'save', 'snapshot', 'restore', 'viewers'] as const;
export type HeatmapCommand = (typeof HEATMAP_COMMANDS)[number];

/** A tracked frame as the heatmap reads it (from the tracker, or the nodes after it). */
export interface TrackedFrameMessage {
  payload?: unknown;
  frame?: { capturedAt?: number; width?: number; height?: number };
  tracks: Array<{ footPoint?: unknown; box?: unknown }>;
  detections?: Array<{ box?: unknown }>;
  /** The detector did not run on this frame (its people may have no box yet). */
  detectionSkipped?: boolean;
  counts?: { unique?: number };
}

/** What the heatmap adds to each frame message (msg.heatmap): this frame's camera. */
export interface HeatmapInfo {
  cameraId: string;
  /** Since the last reset (the day). */
  statistics: CameraStatistics;
  /** ms since epoch of the first frame after the last reset. */
  startedAt: number;
  /** Seconds without frames from the camera since startedAt: missing data, not an empty store. */
  cameraGapSeconds: number;
  gridCols: number;
  gridRows: number;
}

/** Where the controller's results go (the node sends them on its outputs, or logs them). */
export interface HeatmapOutputs {
  /** Heat snapshots; `request` is the message that asked for them (a save, maybe over HTTP). */
  snapshots(snapshots: HeatSnapshot[], reason: SnapshotReason, request?: object): void;
  background(picture: BackgroundPicture): void;
  /** A camera's frame with its heat drawn over it; `frame` is the drawn frame's msg.frame. */
  overlay(cameraId: string, jpeg: Buffer, frame: TrackedFrameMessage['frame']): void;
  log(text: string): void;
  warn(text: string): void;
  /** `cause`: the message it is about. */
  error(text: string, cause?: object): void;
}

/**
 * The heatmap node's policy without Node-RED: every camera's heat (StoreHeat), its overlay lane and its
 * background samples, the commands, and what goes to the store and when.
 */
export class HeatmapController {
  private readonly store: StoreHeat;
  private readonly overlays: OverlayLanes;
  private readonly backgrounds: BackgroundSampler;

  constructor(
    private readonly settings: HeatmapSettings,
    private readonly outputs: HeatmapOutputs,
  ) {
    this.store = new StoreHeat(settings.heat, settings.resetDaily);
    this.overlays = new OverlayLanes(settings.overlayFps, settings.alpha);
    this.backgrounds = new BackgroundSampler(settings.backgroundSeconds * 1000);
  }

  /**
   * Adds a frame's people to its camera's heat and returns what the frame message carries on; draws
   * the camera's overlay and samples its background when due (both arrive later, on the outputs).
   * Throws when the frame has no size (the grid needs it).
   */
  frame(
    msg: TrackedFrameMessage,
    cameraId: string,
    now: number,
  ): { heatmap: HeatmapInfo; store: StoreStatisticsMap } {
    const width = Number(msg.frame?.width);
    const height = Number(msg.frame?.height);
    if (!(width > 0 && height > 0)) {
      throw new Error(
        'msg.frame.width and height are missing: the heatmap needs the frame size (from rtsp-in)',
      );
    }
    const capturedAt = msg.frame?.capturedAt;
    const at = typeof capturedAt === 'number' ? capturedAt : now;
    const footPoints = msg.tracks
      .map((t) => t.footPoint)
      .filter((p): p is [number, number] => Array.isArray(p) && p.length === 2);
    const outcome = this.store.addFrame({
      cameraId,
      width,
      height,
      footPoints,
      at,
      trackerUnique: msg.counts?.unique,
      now,
    });
    if (outcome.finishedDay) this.outputs.snapshots([outcome.finishedDay], 'day-end');
    if (outcome.restored) this.outputs.log(`${cameraId}: restored today's saved heat`);
    if (outcome.restoreError) this.outputs.error(outcome.restoreError.message, msg);
    if (outcome.resized) {
      this.outputs.warn(
        `${cameraId}: the picture changed size to ${width}x${height}: today's heat starts again on a new grid`,
      );
    }
    const { map } = outcome.day;
    if (isJpeg(msg.payload)) {
      this.sampleBackground(msg, msg.payload, cameraId, at, width, height);
      this.drawOverlay(msg.payload, cameraId, this.settings.liveView ? map.live(at) : map.total, now, msg);
    }
    return {
      heatmap: {
        cameraId,
        statistics: this.store.cameraStatistics(cameraId, now)!,
        startedAt: map.startedAt ?? at,
        cameraGapSeconds: map.gapSeconds,
        gridCols: map.total.cols,
        gridRows: map.total.rows,
      },
      store: this.store.statistics(now),
    };
  }

  /** Acts on a command for the `cameras` it names; returns the status to show, if it changes. */
  command(
    name: HeatmapCommand,
    msg: { payload?: unknown; feed?: unknown },
    cameras: CameraSelection,
    now: number,
  ): string | null {
    switch (name) {
      case 'restore': {
        const outcome = this.store.restore(Array.isArray(msg.payload) ? msg.payload : [msg.payload], now);
        for (const id of outcome.applied) this.outputs.log(`${id}: restored today's saved heat`);
        for (const err of outcome.errors) this.outputs.error(err.message, msg);
        return null;
      }
      case 'reset':
        // The emptied maps go to the store at once: a restart must not bring the old heat back.
        this.outputs.snapshots(this.store.reset(cameras, now), 'reset');
        return cameras.all ? 'reset' : `reset ${cameras.ids.join(', ')}`;
      case 'save':
      case 'snapshot':
        this.outputs.snapshots(
          this.store.snapshots(cameras, now),
          name === 'save' ? 'save' : 'periodic',
          msg,
        );
        return null;
      case 'viewers': {
        const count = Number(msg.payload);
        // Only cameras this node draws: any path a browser asks a feed for is reported here too.
        if (!cameras.all && Number.isFinite(count)) {
          const feed = String(msg.feed ?? '');
          for (const id of cameras.ids)
            if (this.store.day(id)) this.overlays.setViewers(id, count, now, feed);
        }
        return null;
      }
    }
  }

  /** The periodic hand-over: changed heat and new backgrounds. */
  tick(now: number): void {
    const changed = this.store.changedSnapshots(now);
    if (changed.length > 0) this.outputs.snapshots(changed, 'periodic');
    for (const picture of this.backgrounds.due(now)) this.outputs.background(picture);
  }

  close(): void {
    this.backgrounds.close();
    this.store.clear();
    this.overlays.clear();
  }

  /** A sample of the camera's empty view, from frames the detector ran on only. */
  private sampleBackground(
    msg: TrackedFrameMessage,
    jpeg: Buffer,
    cameraId: string,
    at: number,
    width: number,
    height: number,
  ): void {
    if (msg.detectionSkipped === true || !Array.isArray(msg.detections)) return;
    const people = peopleBoxes(msg.tracks, msg.detections);
    this.backgrounds
      .offer({ cameraId, jpeg, at, width, height, people })
      ?.catch((err: Error) =>
        this.outputs.error(`${cameraId}: could not sample the background: ${err.message}`, msg),
      );
  }

  private drawOverlay(
    jpeg: Buffer,
    cameraId: string,
    grid: HeatGrid,
    now: number,
    msg: TrackedFrameMessage,
  ): void {
    this.overlays.draw(cameraId, jpeg, grid, now)?.then(
      (overlay) => this.outputs.overlay(cameraId, overlay, msg.frame),
      (err: Error) => this.outputs.error(`${cameraId}: could not draw the heat overlay: ${err.message}`, msg),
    );
  }
}
