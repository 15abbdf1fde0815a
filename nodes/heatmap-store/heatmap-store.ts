import path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { commandOf } from '../lib/control/command';
import { HeatGrid } from '../lib/heatmap/heat-grid';
import { HeatSnapshot, isHeatSnapshot } from '../lib/heatmap/heat-snapshot';
import { RawPicture, renderHeatOverPng, renderHeatPng } from '../lib/heatmap/overlay';
import { isBackgroundPicture } from '../lib/image/camera-backgrounds';
import { HeatSnapshotStore } from '../lib/storage/heat-snapshot-store';
import { FlushResult, SnapshotReason, SnapshotWriter } from '../lib/storage/snapshot-writer';
import { numberSetting } from '../shared/config';
import { claimFiles } from '../shared/file-claim';
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
 * With a longer autosave, the heat data (grid and metadata, what a restart restores) is written this
 * often anyway, so a crash loses at most the last minute, as history does. The picture stays with the
 * autosave: drawing it is most of a save's cost (bench/heat-save-cost.ts on the clip: 55 ms of CPU and
 * a ~950 kB PNG per full save; the data alone is 28 kB).
 */
const CHECKPOINT_SECONDS = 60;
/** How long snapshots without the restored heat are held back after a restore (see SnapshotWriter). */
const RESTORE_GRACE_SECONDS = 30;
const REASONS: readonly SnapshotReason[] = ['periodic', 'save', 'reset', 'day-end'];

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
    // One store per folder: a second one (an imported copy of the flow) would write over this one's
    // saved days, and restore them into the wrong heatmap.
    const claim = claimFiles(node, 'heatmap-store', 'saved heatmaps folder', directory);
    if ('refused' in claim) {
      refuseSaves(node, claim.answer);
      return;
    }
    const files = new HeatSnapshotStore(directory);
    /** The directory as an answer names it: relative to the user directory, else by its name. */
    const shownDirectory = directory.startsWith(path.resolve(userDir) + path.sep)
      ? path.relative(userDir, directory)
      : path.basename(directory);
    const withoutDirectory = (text: string) =>
      text
        .split(directory + path.sep)
        .join('')
        .split(directory)
        .join(shownDirectory);
    let retryTimer: NodeJS.Timeout | null = null;
    let closing = false;
    /** Each camera's newest person-free picture (from the heatmap), drawn under the saved PNG. */
    const backgrounds = new Map<string, RawPicture>();

    /** What the start found of today on disk (with what was handed over since: all there is of today). */
    let foundAtStart: HeatSnapshot[] = [];

    /** Sends saved snapshots to the heatmap (second output); until it holds them, less is not written. */
    function sendRestore(snapshots: HeatSnapshot[]): void {
      for (const snapshot of snapshots) writer.markRestored(snapshot);
      if (snapshots.length > 0) node.send([null, { topic: 'restore', payload: snapshots }]);
    }

    /** Restores today's latest snapshot of every camera, read from disk at start. */
    async function restoreToday(): Promise<void> {
      node.status(Status.connecting('reading saved heatmaps'));
      const { restored, damaged, unfinished } = await files.today(Date.now());
      foundAtStart = restored;
      if (unfinished > 0)
        node.log(`removed ${unfinished} unfinished file(s) of a save interrupted by a crash`);
      for (const err of damaged) node.error(`${err.message}: skipped, the next save replaces it`);
      sendRestore(restored);
      node.status(
        damaged.length > 0
          ? Status.error(`${damaged.length} damaged snapshot(s) skipped, see the log`)
          : Status.idle(
              restored.length > 0 ? `restored ${restored.length} camera(s)` : 'nothing saved today',
            ),
      );
    }
    const ready = Promise.resolve()
      .then(restoreToday)
      .catch((err: Error) => {
        node.error(`could not read saved heatmaps in ${directory}: ${err.message}`);
        node.status(Status.error(`cannot read ${directory}`));
      });
    const writer = new SnapshotWriter(
      {
        directory,
        restoreGraceMs: RESTORE_GRACE_SECONDS * 1000,
        write: async (snapshot: HeatSnapshot) => {
          const grid = new HeatGrid(snapshot.meta, snapshot.cells);
          const background = backgrounds.get(snapshot.meta.cameraId);
          const png = background ? await renderHeatOverPng(grid, background) : await renderHeatPng(grid);
          return files.save(grid, snapshot.meta, png, config.keepHourly === true);
        },
        writeData: (snapshot: HeatSnapshot) =>
          files.saveData(new HeatGrid(snapshot.meta, snapshot.cells), snapshot.meta),
      },
      ready,
    );

    const retryDelay = () => (autosaveSeconds > 0 ? Math.min(RETRY_SECONDS, autosaveSeconds) : RETRY_SECONDS);
    function report(result: FlushResult): void {
      for (const warning of result.warnings) node.warn(warning);
      if (result.failed.length > 0) {
        node.status(Status.error(`save failed, kept in memory, retrying in ${retryDelay()} s`));
        if (!retryTimer && !closing) {
          retryTimer = setTimeout(() => {
            retryTimer = null;
            void flushAndAnswer(null);
          }, retryDelay() * 1000);
        }
      } else if (result.saved.length > 0) {
        node.status(Status.ok(`saved ${new Date().toLocaleTimeString()}`));
      }
    }

    /** Flushes and tells: errors through node.error, paths on the first output (answering `msg`). */
    async function flushAndAnswer(msg: NodeMessage | null, keys?: string[]): Promise<void> {
      const result = await writer.flush(keys);
      report(result);
      for (const err of result.failed) node.error(err.message, msg ?? {});
      if (!msg && result.saved.length === 0) return;
      // The answer goes to whoever asked over HTTP (the store login): file names under the store's
      // directory, never where that is on the disk; a flow finds the directory in msg.directory.
      const out: SavedMessage = {
        ...(msg ?? { topic: 'heatmap/saved' }),
        directory,
        payload: {
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
        },
      };
      if (msg && result.failed.length > 0) out.statusCode = 500;
      node.send([out, null]);
    }

    const autosaveTimer =
      autosaveSeconds > 0 ? setInterval(() => void flushAndAnswer(null), autosaveSeconds * 1000) : null;
    const checkpointTimer =
      autosaveSeconds > CHECKPOINT_SECONDS
        ? setInterval(() => {
            void writer.checkpoint().then(({ failed, warnings }) => {
              report({ saved: [], failed, warnings });
              for (const err of failed) node.error(err.message);
            });
          }, CHECKPOINT_SECONDS * 1000)
        : null;

    node.on('input', (msg, _send, done) => {
      if (msg.topic === 'heatmap/snapshot') {
        const payload = Array.isArray(msg.payload) ? msg.payload : [msg.payload];
        const snapshots = payload.filter(isHeatSnapshot);
        if (snapshots.length !== payload.length) {
          done(
            new Error(
              'a heatmap/snapshot message carries heat snapshots from the heatmap node in msg.payload',
            ),
          );
          return;
        }
        const given = (msg as { reason?: unknown }).reason;
        const reason: SnapshotReason = REASONS.includes(given as SnapshotReason)
          ? (given as SnapshotReason)
          : (msg as { save?: unknown }).save === true
            ? 'save'
            : 'periodic';
        const keys = writer.offer(snapshots, reason);
        // A save names its cameras (the heatmap sent only theirs); the rest waits for the autosave.
        if (reason === 'periodic') done();
        else flushAndAnswer(msg, keys).then(() => done(), done);
        return;
      }
      if (msg.topic === 'heatmap/background') {
        if (!isBackgroundPicture(msg.payload)) {
          done(new Error('a heatmap/background message carries a camera picture from the heatmap node'));
          return;
        }
        backgrounds.set(msg.payload.cameraId, msg.payload);
        done();
        return;
      }
      if (msg.topic === 'heatmap/restore-request') {
        // A heatmap restarted alone ("modified nodes" deploy): today's newest of every camera, found at
        // start or handed over since. No disk read: all written since went through this node.
        ready.then(() => {
          sendRestore(writer.newestOfDay(Date.now(), foundAtStart));
          done();
        }, done);
        return;
      }
      if (commandOf(msg, ['save'])) {
        flushAndAnswer(msg).then(() => done(), done);
        return;
      }
      done(
        new Error(
          'expected msg.topic "heatmap/snapshot", "heatmap/background" or "heatmap/restore-request" (the heatmap node\'s third output) or the command "save"',
        ),
      );
    });

    node.on('close', (done: () => void) => {
      closing = true;
      if (autosaveTimer) clearInterval(autosaveTimer);
      if (checkpointTimer) clearInterval(checkpointTimer);
      if (retryTimer) clearTimeout(retryTimer);
      // Whatever is not on disk yet is written before the node goes (a redeploy or shutdown).
      writer.close();
      writer
        .flush(undefined, { wait: false })
        .then(({ failed }) => failed.forEach((err) => node.error(err.message)))
        .finally(() => {
          claim.release();
          node.status(Status.clear());
          done();
        });
    });
  }

  RED.nodes.registerType('heatmap-store', HeatmapStoreNode);
};

/**
 * A store refused its folder (another store holds it): a save asked over HTTP is answered 503 with
 * the reason rather than never; snapshots are dropped (the status and the log say why).
 */
function refuseSaves(node: Node, reason: string): void {
  node.on('input', (msg, _send, done) => {
    if ((msg as { res?: unknown }).res) {
      const out = { ...msg, payload: { savedAt: Date.now(), saved: [], error: reason } } as SavedMessage;
      out.statusCode = 503;
      node.send([out, null]);
    }
    done();
  });
}
