import path from 'node:path';
import { HeatGrid } from '../heatmap/heat-grid';
import type { HeatSnapshot, SnapshotReason } from '../heatmap/heat-snapshot';
import { renderHeatOverPng, renderHeatPng } from '../heatmap/overlay';
import type { RawPicture } from '../image/raw-picture';
import { HeatSnapshotStore } from './heat-snapshot-store';
import type { HeatStoreSettings } from './heat-store-settings';
import { type FlushResult, type SavedCamera, SnapshotWriter } from './snapshot-writer';

/** A failed write is tried again this soon (or at the next autosave, if that comes first). */
const RETRY_SECONDS = 30;
/**
 * With a longer autosave, the heat data (grid and metadata, what a restart restores) is written this
 * often anyway, so a crash loses at most the last minute, as history does. The picture stays with the
 * autosave: drawing it is most of a save's cost (bench/heat-save-cost.ts on the clip: 55 ms of CPU and
 * a ~950 kB PNG per full save; the data alone is 28 kB).
 */
export const CHECKPOINT_SECONDS = 60;
/** How long snapshots without the restored heat are held back after a restore (see SnapshotWriter). */
const RESTORE_GRACE_SECONDS = 30;

/** What a save wrote, as the notice and the answer carry it (msg.payload). */
export interface SavedPayload {
  /** ms since epoch. */
  savedAt: number;
  /** The files written, relative to the store's directory ("20260315/heatmap_camera-1.npy"). */
  saved: SavedCamera[];
  /** Set when a write failed: the heat stays in memory and is tried again. */
  error?: string;
}

export type StoreStatusKind = 'connecting' | 'ok' | 'error' | 'idle';

/** Where the service's results go (the node sends them on its outputs, or logs them). */
export interface HeatStoreEvents {
  /** Saved snapshots for the heatmap to take back. */
  restore(snapshots: HeatSnapshot[]): void;
  /** A save's outcome: after every save asked for, and after an autosave that wrote something. */
  saved(payload: SavedPayload): void;
  status(kind: StoreStatusKind, text: string): void;
  /** `cause`: the message that asked, if any. */
  error(text: string, cause?: object): void;
  warn(text: string): void;
  log(text: string): void;
}

/**
 * heatmap-store's policy without Node-RED: today's saved heat read back at start and handed to the
 * heatmap, the snapshots offered by the heatmap written on save, reset, midnight, autosave and close,
 * a crash checkpoint of the data every minute, a retry after a failed write, and each camera's newest
 * background drawn under its saved picture.
 */
export class HeatStoreService {
  private readonly files: HeatSnapshotStore;
  private readonly writer: SnapshotWriter;
  /** Each camera's newest person-free picture (from the heatmap), drawn under the saved PNG. */
  private readonly backgrounds = new Map<string, RawPicture>();
  /** What the start found of today on disk (with what was handed over since: all there is of today). */
  private foundAtStart: HeatSnapshot[] = [];
  private readonly ready: Promise<void>;
  private readonly timers: NodeJS.Timeout[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    private readonly settings: HeatStoreSettings,
    private readonly events: HeatStoreEvents,
  ) {
    const { directory, keepHourly } = settings;
    this.files = new HeatSnapshotStore(directory);
    this.ready = Promise.resolve()
      .then(() => this.restoreToday())
      .catch((err: Error) => {
        events.error(`could not read saved heatmaps in ${directory}: ${err.message}`);
        events.status('error', `cannot read ${directory}`);
      });
    this.writer = new SnapshotWriter(
      {
        directory,
        restoreGraceMs: RESTORE_GRACE_SECONDS * 1000,
        write: async (snapshot) => {
          const grid = new HeatGrid(snapshot.meta, snapshot.cells);
          const background = this.backgrounds.get(snapshot.meta.cameraId);
          const png = background ? await renderHeatOverPng(grid, background) : await renderHeatPng(grid);
          return this.files.save(grid, snapshot.meta, png, keepHourly);
        },
        writeData: (snapshot) =>
          this.files.saveData(new HeatGrid(snapshot.meta, snapshot.cells), snapshot.meta),
      },
      this.ready,
    );
    const { autosaveSeconds } = settings;
    if (autosaveSeconds > 0) {
      this.timers.push(setInterval(() => void this.flush(false), autosaveSeconds * 1000));
    }
    if (autosaveSeconds > CHECKPOINT_SECONDS) {
      this.timers.push(setInterval(() => void this.checkpoint(), CHECKPOINT_SECONDS * 1000));
    }
  }

  /**
   * Takes the heatmap's snapshots: `periodic` ones are kept for the next autosave (null); the others
   * are written now, only their cameras, and the promise gives the outcome.
   */
  offer(
    snapshots: readonly HeatSnapshot[],
    reason: SnapshotReason,
    cause?: object,
  ): Promise<SavedPayload> | null {
    const keys = this.writer.offer(snapshots, reason);
    return reason === 'periodic' ? null : this.flush(true, keys, cause);
  }

  /** Writes everything held now (a `save` command sent to the store itself). */
  save(cause?: object): Promise<SavedPayload> {
    return this.flush(true, undefined, cause);
  }

  background(cameraId: string, picture: RawPicture): void {
    this.backgrounds.set(cameraId, picture);
  }

  /**
   * A heatmap restarted alone ("modified nodes" deploy): today's newest of every camera, found at
   * start or handed over since. No disk read: all written since went through this store.
   */
  async restoreRequest(): Promise<void> {
    await this.ready;
    this.sendRestore(this.writer.newestOfDay(Date.now(), this.foundAtStart));
  }

  /** Stops the timers and writes whatever is not on disk yet (a redeploy or shutdown). */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.writer.close();
    const { failed } = await this.writer.flush(undefined, { wait: false });
    for (const err of failed) this.events.error(err.message);
  }

  /** The answer's payload: file names under the store's directory, never where that is on the disk. */
  private payloadOf(result: FlushResult): SavedPayload {
    const { directory, shownDirectory } = this.settings;
    const withoutDirectory = (text: string) =>
      text
        .split(directory + path.sep)
        .join('')
        .split(directory)
        .join(shownDirectory);
    return {
      savedAt: Date.now(),
      saved: result.saved.map((files) => ({
        cameraId: files.cameraId,
        npy: path.relative(directory, files.npy),
        png: path.relative(directory, files.png),
        json: path.relative(directory, files.json),
      })),
      ...(result.failed.length > 0
        ? { error: result.failed.map((e) => withoutDirectory(e.message)).join('; ') }
        : {}),
    };
  }

  /** Writes (all, or `keys`) and tells: a notice when asked for or when something was written. */
  private async flush(asked: boolean, keys?: string[], cause?: object): Promise<SavedPayload> {
    const result = await this.writer.flush(keys);
    this.report(result);
    for (const err of result.failed) this.events.error(err.message, cause ?? {});
    const payload = this.payloadOf(result);
    if (asked || result.saved.length > 0) this.events.saved(payload);
    return payload;
  }

  private async checkpoint(): Promise<void> {
    const { failed, warnings } = await this.writer.checkpoint();
    this.report({ saved: [], failed, warnings });
    for (const err of failed) this.events.error(err.message);
  }

  private retryDelay(): number {
    const { autosaveSeconds } = this.settings;
    return autosaveSeconds > 0 ? Math.min(RETRY_SECONDS, autosaveSeconds) : RETRY_SECONDS;
  }

  private report(result: FlushResult): void {
    for (const warning of result.warnings) this.events.warn(warning);
    if (result.failed.length > 0) {
      this.events.status('error', `save failed, kept in memory, retrying in ${this.retryDelay()} s`);
      if (!this.retryTimer && !this.closing) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          void this.flush(false);
        }, this.retryDelay() * 1000);
      }
    } else if (result.saved.length > 0) {
      this.events.status('ok', `saved ${new Date().toLocaleTimeString()}`);
    }
  }

  /** Sends saved snapshots to the heatmap; until it holds them, less is not written. */
  private sendRestore(snapshots: HeatSnapshot[]): void {
    for (const snapshot of snapshots) this.writer.markRestored(snapshot);
    if (snapshots.length > 0) this.events.restore(snapshots);
  }

  /** Restores today's latest snapshot of every camera, read from disk at start. */
  private async restoreToday(): Promise<void> {
    this.events.status('connecting', 'reading saved heatmaps');
    const { restored, damaged, unfinished } = await this.files.today(Date.now());
    this.foundAtStart = restored;
    if (unfinished > 0)
      this.events.log(`removed ${unfinished} unfinished file(s) of a save interrupted by a crash`);
    for (const err of damaged) this.events.error(`${err.message}: skipped, the next save replaces it`);
    this.sendRestore(restored);
    this.events.status(
      damaged.length > 0 ? 'error' : 'idle',
      damaged.length > 0
        ? `${damaged.length} damaged snapshot(s) skipped, see the log`
        : restored.length > 0
          ? `restored ${restored.length} camera(s)`
          : 'nothing saved today',
    );
  }
}
