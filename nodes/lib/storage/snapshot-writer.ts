import type { HeatSnapshot, SnapshotReason } from '../heatmap/heat-snapshot';
import { dayFolder } from '../time/local-day';
import type { SavedFiles } from './heat-snapshot-store';

export interface SavedCamera extends SavedFiles {
  cameraId: string;
}

/** What a crash checkpoint wrote: the cameras whose heat data is on disk now. */
export interface CheckpointResult {
  written: string[];
  failed: Error[];
  warnings: string[];
}

export interface FlushResult {
  saved: SavedCamera[];
  failed: Error[];
  /** Things to tell the user that are not failures. */
  warnings: string[];
}

export interface SnapshotWriterOptions {
  /** Writes one snapshot (atomically); rejects when it could not. */
  write(snapshot: HeatSnapshot): Promise<SavedFiles>;
  /**
   * Writes what a restart restores of a snapshot (the grid and its metadata, not the picture),
   * atomically: the crash checkpoint. Without it a checkpoint writes the whole snapshot.
   */
  writeData?(snapshot: HeatSnapshot): Promise<unknown>;
  /** For error messages: where the files go. */
  directory: string;
  /**
   * After a restore, snapshots that do not hold the restored heat yet (made before the heatmap took
   * it) are not written for this long, so they cannot replace the day on disk with less.
   */
  restoreGraceMs: number;
  now?: () => number;
}

/** The latest snapshot of one camera and day, and how much of it is on disk. */
interface Pending {
  snapshot: HeatSnapshot;
  /** All its files. */
  written: boolean;
  /** Its data, by a checkpoint (the picture may be older). */
  checkpointed: boolean;
  reason: SnapshotReason;
}

/**
 * heatmap-store's policy, without Node-RED: keeps the latest snapshot per camera and day, writes
 * them one at a time when asked (autosave, save, close), keeps what failed in memory for the next
 * try, forgets finished days once written, and holds back snapshots that would replace a restored
 * day with less.
 */
export class SnapshotWriter {
  private readonly latest = new Map<string, Pending>();
  /** Cameras restored: the restored day's start, and until when to wait for the heatmap to take it. */
  private readonly restored = new Map<string, { startedAt: number; until: number }>();
  /** Saves waiting for a snapshot that holds the restored heat (woken by every offer). */
  private readonly waiting = new Set<() => void>();
  private writing: Promise<unknown>;
  private readonly now: () => number;
  /** Set by close(): nothing waits for the restored heat any more. */
  private closing = false;

  /** Writes start once `ready` settles (the restore at start has read the disk). */
  constructor(
    private readonly options: SnapshotWriterOptions,
    ready: Promise<unknown> = Promise.resolve(),
  ) {
    this.now = options.now ?? Date.now;
    this.writing = ready.catch(() => undefined);
  }

  /** Snapshots not on disk yet. */
  get unwritten(): number {
    return [...this.latest.values()].filter((p) => !p.written).length;
  }

  /** A camera's saved day was sent back to the heatmap: until it has it, its snapshots hold less. */
  markRestored(snapshot: HeatSnapshot): void {
    this.restored.set(snapshot.meta.cameraId, {
      startedAt: snapshot.meta.startedAt,
      until: this.now() + this.options.restoreGraceMs,
    });
  }

  /** Takes the heatmap's snapshots; returns their keys (camera and day) for a flush of just these. */
  offer(snapshots: readonly HeatSnapshot[], reason: SnapshotReason): string[] {
    const keys: string[] = [];
    for (const snapshot of snapshots) {
      const key = `${dayFolder(snapshot.meta.savedAt)}/${snapshot.meta.cameraId}`;
      // A reset throws the restored heat away on purpose: nothing to wait for any more.
      if (reason === 'reset') this.restored.delete(snapshot.meta.cameraId);
      const current = this.latest.get(key);
      if (!current || current.snapshot.meta.savedAt <= snapshot.meta.savedAt) {
        // A newer periodic snapshot does not make an earlier deliberate one less deliberate.
        const keep = current && !current.written && current.reason !== 'periodic' ? current.reason : reason;
        this.latest.set(key, { snapshot, written: false, checkpointed: false, reason: keep });
      }
      keys.push(key);
    }
    for (const wake of this.waiting) wake();
    return keys;
  }

  /**
   * The newest snapshot per camera of the day of `at` among `saved` (read from disk) and those held
   * here (handed over, maybe not written yet): what a restarted heatmap should take back.
   */
  newestOfDay(at: number, saved: readonly HeatSnapshot[]): HeatSnapshot[] {
    const day = dayFolder(at);
    const newest = new Map<string, HeatSnapshot>();
    const held = [...this.latest.values()]
      .map((p) => p.snapshot)
      .filter((s) => dayFolder(s.meta.savedAt) === day);
    for (const snapshot of [...saved, ...held]) {
      const current = newest.get(snapshot.meta.cameraId);
      if (!current || current.meta.savedAt < snapshot.meta.savedAt)
        newest.set(snapshot.meta.cameraId, snapshot);
    }
    return [...newest.values()];
  }

  /**
   * Writes the snapshots not yet on disk (of `keys`, or all), after any write already running. A
   * save waits (up to the grace) for a snapshot holding the restored heat, unless `wait` is false
   * (closing: Node-RED gives a node 15 s).
   */
  flush(keys?: readonly string[], { wait = true } = {}): Promise<FlushResult> {
    const run = () => this.writeNow(keys, wait);
    const result = this.writing.then(run, run);
    this.writing = result.catch(() => undefined);
    return result;
  }

  /**
   * A crash checkpoint: writes the data of every snapshot whose data is not on disk yet (not the
   * picture: the flush at the autosave draws that), after any write already running. Snapshots that
   * would replace a restored day with less are held back, as by a flush; nothing waits.
   */
  checkpoint(): Promise<CheckpointResult> {
    const run = () => this.checkpointNow();
    const result = this.writing.then(run, run);
    this.writing = result.catch(() => undefined);
    return result;
  }

  private async checkpointNow(): Promise<CheckpointResult> {
    const result: CheckpointResult = { written: [], failed: [], warnings: [] };
    const held: FlushResult = { saved: [], failed: [], warnings: result.warnings };
    const writeData = this.options.writeData ?? this.options.write;
    for (const [key, pending] of [...this.latest]) {
      if (pending.written || pending.checkpointed) continue;
      const { snapshot, reason } = pending;
      if ((reason === 'periodic' || reason === 'save') && this.holdBack(snapshot, held)) continue;
      try {
        await writeData(snapshot);
        if (this.latest.get(key)?.snapshot === snapshot) pending.checkpointed = true;
        result.written.push(snapshot.meta.cameraId);
      } catch (err) {
        result.failed.push(
          new Error(
            `could not write the crash checkpoint of ${snapshot.meta.cameraId} in ${this.options.directory}: ${(err as Error).message}`,
          ),
        );
      }
    }
    return result;
  }

  private async writeNow(keys: readonly string[] | undefined, wait: boolean): Promise<FlushResult> {
    const result: FlushResult = { saved: [], failed: [], warnings: [] };
    for (const key of [...this.latest.keys()]) {
      if (keys && !keys.includes(key)) continue;
      let pending = this.latest.get(key)!;
      if (pending.written) continue;
      if (pending.reason === 'save' && wait && !this.closing) {
        // Asked for now, but the heatmap has not taken the restored day yet: wait (briefly) for it.
        await this.untilRestoredOrGraceOver(key, result);
        pending = this.latest.get(key)!;
        // Closed while waiting: the restored day on disk holds more than this snapshot; keep it.
        if (this.closing && this.holdBack(pending.snapshot, result)) continue;
      } else if (
        (pending.reason === 'periodic' || pending.reason === 'save') &&
        this.holdBack(pending.snapshot, result)
      ) {
        continue;
      }
      const { snapshot } = pending;
      try {
        const files = await this.options.write(snapshot);
        if (this.latest.get(key)?.snapshot === snapshot) pending.written = true;
        result.saved.push({ cameraId: snapshot.meta.cameraId, ...files });
      } catch (err) {
        result.failed.push(
          new Error(
            `could not save the heatmap of ${snapshot.meta.cameraId} in ${this.options.directory}: ${(err as Error).message}`,
          ),
        );
      }
    }
    this.forgetFinishedDays();
    return result;
  }

  /** Whether this snapshot would replace a restored day with less; a warning once the grace is over. */
  private holdBack(snapshot: HeatSnapshot, result: FlushResult): boolean {
    const { cameraId } = snapshot.meta;
    const restored = this.restored.get(cameraId);
    if (!restored) return false;
    // A heatmap that took the restored day carries on its start; a day begun afresh starts later.
    if (snapshot.meta.startedAt <= restored.startedAt) {
      this.restored.delete(cameraId); // it holds the restored heat: all good
      return false;
    }
    if (this.now() < restored.until) return true;
    this.restored.delete(cameraId);
    result.warnings.push(
      `${cameraId}: the heatmap did not take the restored heat; is this node's second output wired to the heatmap?`,
    );
    return false;
  }

  /**
   * The node is closing (Node-RED gives it 15 s): a save still waiting for the restored heat stops
   * waiting, so the final flush behind it is not held up. Call before that flush.
   */
  close(): void {
    this.closing = true;
    for (const wake of this.waiting) wake();
  }

  private async untilRestoredOrGraceOver(key: string, result: FlushResult): Promise<void> {
    while (!this.closing && this.holdBack(this.latest.get(key)!.snapshot, result)) {
      const left = this.restored.get(this.latest.get(key)!.snapshot.meta.cameraId)!.until - this.now();
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(1, left));
        this.waiting.add(wake);
      });
    }
  }

  /** Written days other than the newest of each camera are done with. */
  private forgetFinishedDays(): void {
    const newest = new Map<string, number>();
    for (const { snapshot } of this.latest.values()) {
      const { cameraId, savedAt } = snapshot.meta;
      newest.set(cameraId, Math.max(newest.get(cameraId) ?? -Infinity, savedAt));
    }
    for (const [key, pending] of this.latest) {
      if (pending.written && pending.snapshot.meta.savedAt < newest.get(pending.snapshot.meta.cameraId)!) {
        this.latest.delete(key);
      }
    }
  }
}
