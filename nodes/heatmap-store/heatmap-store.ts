import path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { HeatGrid } from '../lib/heatmap/heat-grid';
import { renderHeatPng } from '../lib/heatmap/overlay';
import { HeatSnapshot, isHeatSnapshot } from '../lib/heatmap/heat-snapshot';
import { HeatSnapshotStore, SavedFiles } from '../lib/storage/heat-snapshot-store';
import { dayFolder } from '../lib/time/local-day';
import { numberSetting } from '../shared/config';
import { controlCommand } from '../shared/control';
import { reportConfigError, Status } from '../shared/status';
import type { SavedMessage } from './heatmap-store-types';

/** The editor's `defaults`; every key here is a field of heatmap-store.html. */
interface HeatmapStoreDef extends NodeDef {
  directory: string;
  autosave: string | number;
  keepHourly: boolean;
}

/** A failed write is tried again this soon (or at the next autosave, if that comes first). */
const RETRY_SECONDS = 30;
/**
 * After a restore, snapshots that do not hold the restored heat yet (made before the heatmap took
 * it) are not written for this long, so they cannot overwrite the day on disk with less.
 */
const RESTORE_GRACE_SECONDS = 30;

/** The latest snapshot of one camera and day, and whether it is on disk. */
interface Pending {
  snapshot: HeatSnapshot;
  written: boolean;
  /** Sent to be written now (a save, a reset, the end of a day): never held back. */
  deliberate: boolean;
}

export = function (RED: NodeAPI): void {
  function HeatmapStoreNode(this: Node, config: HeatmapStoreDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const directory = path.resolve(userDir, config.directory?.trim() || path.join('data', 'saved_heatmaps'));
    const autosaveSeconds = numberSetting(config.autosave, 300);
    if (!(autosaveSeconds >= 0)) {
      reportConfigError(node, 'autosave must be a number of seconds (0: only on save and on close)');
      return;
    }
    const store = new HeatSnapshotStore(directory);
    const latest = new Map<string, Pending>();
    /** Cameras restored at start: until when snapshots without the restored heat are held back. */
    const restoredUntil = new Map<string, { savedAt: number; until: number }>();
    let writing: Promise<unknown> = Promise.resolve();
    let retryTimer: NodeJS.Timeout | null = null;
    let closing = false;
    const keyOf = (s: HeatSnapshot) => `${dayFolder(s.meta.savedAt)}/${s.meta.cameraId}`;

    /** Restores today's latest snapshot of every camera: sent on the second output to the heatmap. */
    async function restoreToday(): Promise<void> {
      node.status(Status.connecting('reading saved heatmaps'));
      const now = Date.now();
      const unfinished = await store.removeUnfinished(now);
      if (unfinished > 0)
        node.log(`removed ${unfinished} unfinished file(s) of a save interrupted by a crash`);
      const { cameras, damaged } = await store.camerasOfDay(now);
      const restored: HeatSnapshot[] = [];
      for (const cameraId of cameras) {
        try {
          const found = await store.restore(cameraId, now);
          if (!found) continue;
          restored.push({ meta: found.meta, cells: found.grid.cells });
          restoredUntil.set(cameraId, {
            savedAt: found.meta.savedAt,
            until: now + RESTORE_GRACE_SECONDS * 1000,
          });
        } catch (err) {
          damaged.push(err as Error);
        }
      }
      for (const err of damaged) node.error(`${err.message}: skipped, the next save replaces it`);
      if (restored.length > 0) node.send([null, { topic: 'restore', payload: restored }]);
      node.status(
        damaged.length > 0
          ? Status.error(`${damaged.length} damaged snapshot(s) skipped, see the log`)
          : Status.idle(
              restored.length > 0 ? `restored ${restored.length} camera(s)` : 'nothing saved today',
            ),
      );
    }
    const ready = restoreToday().catch((err: Error) => {
      node.error(`could not read saved heatmaps in ${directory}: ${err.message}`);
      node.status(Status.error(`cannot read ${directory}`));
    });

    /** A snapshot made before the heatmap took the restored day would replace it with less. */
    function heldBack(snapshot: HeatSnapshot): boolean {
      const restored = restoredUntil.get(snapshot.meta.cameraId);
      if (!restored) return false;
      if (snapshot.meta.startedAt <= restored.savedAt) {
        restoredUntil.delete(snapshot.meta.cameraId); // it holds the restored heat: all good
        return false;
      }
      if (Date.now() < restored.until) return true;
      restoredUntil.delete(snapshot.meta.cameraId);
      node.warn(
        `${snapshot.meta.cameraId}: the heatmap did not take the restored heat; is this node's second output wired to the heatmap?`,
      );
      return false;
    }

    async function write(snapshot: HeatSnapshot): Promise<SavedFiles> {
      const grid = new HeatGrid(snapshot.meta, snapshot.cells);
      return store.save(grid, snapshot.meta, await renderHeatPng(grid), config.keepHourly === true);
    }

    /**
     * Writes the snapshots not yet on disk (of the given keys, or all), one write at a time.
     * A failure keeps the snapshot in memory and schedules another try.
     */
    function flush(
      keys?: string[],
    ): Promise<{ saved: Array<SavedFiles & { cameraId: string }>; failed: Error[] }> {
      const run = async () => {
        await ready;
        const saved: Array<SavedFiles & { cameraId: string }> = [];
        const failed: Error[] = [];
        for (const [key, pending] of latest) {
          if ((keys && !keys.includes(key)) || pending.written) continue;
          if (!pending.deliberate && heldBack(pending.snapshot)) continue;
          const { snapshot } = pending;
          try {
            const files = await write(snapshot);
            if (latest.get(key)?.snapshot === snapshot) pending.written = true;
            saved.push({ cameraId: snapshot.meta.cameraId, ...files });
          } catch (err) {
            failed.push(
              new Error(
                `could not save the heatmap of ${snapshot.meta.cameraId} in ${directory}: ${(err as Error).message}`,
              ),
            );
          }
        }
        // Written days other than the newest of each camera are done with: forget them.
        for (const [key, pending] of latest) {
          const newer = [...latest.values()].some(
            (p) =>
              p.snapshot.meta.cameraId === pending.snapshot.meta.cameraId &&
              p.snapshot.meta.savedAt > pending.snapshot.meta.savedAt,
          );
          if (pending.written && newer) latest.delete(key);
        }
        if (failed.length > 0) {
          node.status(Status.error(`save failed, kept in memory, retrying in ${retryDelay()} s`));
          scheduleRetry();
        } else if (saved.length > 0) {
          node.status(Status.ok(`saved ${new Date().toLocaleTimeString()}`));
        }
        return { saved, failed };
      };
      const result = writing.then(run, run);
      writing = result.catch(() => undefined);
      return result;
    }

    const retryDelay = () => (autosaveSeconds > 0 ? Math.min(RETRY_SECONDS, autosaveSeconds) : RETRY_SECONDS);
    function scheduleRetry(): void {
      if (retryTimer || closing) return;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        void flushAndReport(null);
      }, retryDelay() * 1000);
    }

    /** Flushes and tells: errors through node.error, paths on the first output. */
    async function flushAndReport(msg: NodeMessage | null, keys?: string[]): Promise<void> {
      const { saved, failed } = await flush(keys);
      for (const err of failed) node.error(err.message, msg ?? {});
      if (!msg && saved.length === 0) return;
      const out: SavedMessage = {
        ...(msg ?? { topic: 'heatmap/saved' }),
        payload: {
          savedAt: Date.now(),
          saved,
          ...(failed.length > 0 ? { error: failed.map((e) => e.message).join('; ') } : {}),
        },
      };
      if (msg && failed.length > 0) out.statusCode = 500;
      node.send([out, null]);
    }

    const autosaveTimer =
      autosaveSeconds > 0 ? setInterval(() => void flushAndReport(null), autosaveSeconds * 1000) : null;

    node.on('input', (msg, _send, done) => {
      const snapshots = (Array.isArray(msg.payload) ? msg.payload : [msg.payload]).filter(isHeatSnapshot);
      const isSnapshotMessage = msg.topic === 'heatmap/snapshot' || snapshots.length > 0;
      const save = isSnapshotMessage
        ? (msg as { save?: unknown }).save === true
        : controlCommand(msg, ['save']) !== null;
      if (!isSnapshotMessage && !save) {
        done(new Error('expected heat snapshots from the heatmap node (its third output) or a save command'));
        return;
      }
      const keys: string[] = [];
      for (const snapshot of snapshots) {
        const key = keyOf(snapshot);
        const current = latest.get(key);
        if (!current || current.snapshot.meta.savedAt <= snapshot.meta.savedAt)
          latest.set(key, { snapshot, written: false, deliberate: isSnapshotMessage && save });
        keys.push(key);
      }
      if (!save) {
        done();
        return;
      }
      // A save request from the heatmap names its cameras; a bare `save` writes everything pending.
      flushAndReport(msg, isSnapshotMessage ? keys : undefined).then(() => done(), done);
    });

    node.on('close', (done: () => void) => {
      closing = true;
      if (autosaveTimer) clearInterval(autosaveTimer);
      if (retryTimer) clearTimeout(retryTimer);
      // Whatever is not on disk yet is written before the node goes (a redeploy or shutdown).
      flush()
        .then(({ failed }) => failed.forEach((err) => node.error(err.message)))
        .finally(() => {
          node.status(Status.clear());
          done();
        });
    });
  }

  RED.nodes.registerType('heatmap-store', HeatmapStoreNode);
};
