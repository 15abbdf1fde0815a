import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { CameraSelection, camerasOf, commandOf } from '../lib/control/command';
import { visitorsStatusText } from '../lib/control/count-labels';
import { knownCameras } from '../lib/control/known-cameras';
import { DEFAULT_HEAT_OPTIONS } from '../lib/heatmap/heat-accumulator';
import type { HeatSnapshot } from '../lib/heatmap/heat-snapshot';
import { DEFAULT_OVERLAY, OverlayPainter } from '../lib/heatmap/overlay';
import { OverlaySchedule } from '../lib/heatmap/overlay-schedule';
import { StoreHeat } from '../lib/heatmap/store-heat';
import { isBox, type ReadonlyBox } from '../lib/geometry/box';
import { CameraBackgrounds } from '../lib/image/camera-backgrounds';
import { isJpeg } from '../lib/image/jpeg-splitter';
import sharp from '../lib/image/sharp';
import type { SnapshotReason } from '../lib/storage/snapshot-writer';
import { cameraIdOf } from '../shared/camera-id';
import { numberSetting } from '../shared/config';
import { answerHttpInBodyErrors } from '../shared/http-body-errors';
import { reportConfigError, Status } from '../shared/status';
import type { HeatmapMessage, HeatSnapshotMessage } from './heatmap-types';

/** The editor's `defaults`; every key here is a field of heatmap.html. */
interface HeatmapDef extends NodeDef {
  cellSize: string | number;
  radius: string | number;
  liveWindowMinutes: string | number;
  maxFrameInterval: string | number;
  alpha: string | number;
  overlayFps: string | number;
  overlayView: 'day' | 'live';
  snapshotInterval: string | number;
  backgroundInterval: string | number;
  resetDaily: boolean;
}

type TrackedMessage = NodeMessage & {
  frame?: { capturedAt?: number; width?: number; height?: number };
  tracks?: Array<{ footPoint?: [number, number]; box?: unknown }>;
  detections?: Array<{ box?: unknown }>;
  detectionSkipped?: boolean;
  counts?: { unique?: number };
};

/** Every person the detector saw in this frame or the tracker still follows (their boxes). */
function peopleBoxes(msg: TrackedMessage): ReadonlyBox[] {
  const boxes: ReadonlyBox[] = [];
  for (const t of msg.tracks ?? []) if (isBox(t.box)) boxes.push(t.box);
  for (const d of msg.detections ?? []) if (isBox(d?.box)) boxes.push(d.box);
  return boxes;
}

/** The commands this node takes, by msg.topic (see the node's help). */
const COMMANDS = ['reset', 'save', 'snapshot', 'restore', 'viewers'] as const;

export = function (RED: NodeAPI): void {
  function HeatmapNode(this: Node, config: HeatmapDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings = {
      cellSize: numberSetting(config.cellSize, DEFAULT_HEAT_OPTIONS.cellSize),
      radius: numberSetting(config.radius, DEFAULT_HEAT_OPTIONS.radius),
      liveWindowMinutes: numberSetting(config.liveWindowMinutes, DEFAULT_HEAT_OPTIONS.liveWindowMinutes),
      maxFrameIntervalSeconds: numberSetting(
        config.maxFrameInterval,
        DEFAULT_HEAT_OPTIONS.maxFrameIntervalSeconds,
      ),
    };
    const alpha = numberSetting(config.alpha, DEFAULT_OVERLAY.alpha);
    const overlayFps = numberSetting(config.overlayFps, 5);
    const snapshotSeconds = numberSetting(config.snapshotInterval, 1);
    const backgroundSeconds = numberSetting(config.backgroundInterval, 10);
    const liveView = config.overlayView === 'live';
    // Nothing wired to the overlay output: no overlay is drawn at all.
    const overlayWired = ((config as HeatmapDef & { wires?: string[][] }).wires?.[1] ?? []).length > 0;
    if (
      !(Number.isInteger(settings.cellSize) && settings.cellSize >= 1 && settings.cellSize <= 64) ||
      !(settings.radius > 0) ||
      !(settings.liveWindowMinutes >= 1 && settings.liveWindowMinutes <= 1440) ||
      !(settings.maxFrameIntervalSeconds > 0) ||
      !(alpha >= 0 && alpha <= 1) ||
      !(overlayFps >= 0 && overlayFps <= 30) ||
      !(snapshotSeconds >= 0) ||
      !(backgroundSeconds >= 0)
    ) {
      reportConfigError(
        node,
        'check the settings: cell a whole 1-64 px, radius > 0, window 1-1440 min, alpha 0-1, overlay 0-30 fps, snapshots and background >= 0 s',
      );
      return;
    }
    const store = new StoreHeat(settings, config.resetDaily !== false);
    const schedule = new OverlaySchedule(overlayWired ? overlayFps : 0);
    const painters = new Map<string, OverlayPainter>();
    const backgrounds = new CameraBackgrounds(backgroundSeconds * 1000);
    let closed = false;
    let lastStatusAt = 0;
    node.status(Status.idle('waiting for tracks'));

    /** Heat snapshots on the third output (for heatmap-store); `base` (a save request) rides along. */
    function sendSnapshots(snapshots: HeatSnapshot[], reason: SnapshotReason, base?: NodeMessage): void {
      if (snapshots.length === 0 && !base) return;
      const out: HeatSnapshotMessage = {
        ...(base ?? {}),
        topic: 'heatmap/snapshot',
        payload: snapshots,
        save: reason !== 'periodic',
        reason,
      };
      node.send([null, null, out]);
    }

    /** New person-free pictures of the cameras, on the third output (topic "heatmap/background"). */
    function sendBackgrounds(now: number): void {
      for (const picture of backgrounds.due(now)) {
        node.send([null, null, { topic: 'heatmap/background', payload: picture }]);
      }
    }

    // Changed maps go to the store every few seconds, so a redeploy loses at most that much heat.
    const snapshotTimer =
      snapshotSeconds > 0
        ? setInterval(() => {
            sendSnapshots(store.changedSnapshots(Date.now()), 'periodic');
            sendBackgrounds(Date.now());
          }, snapshotSeconds * 1000)
        : null;

    /**
     * A sample of the camera's empty view: the frame decoded small, the people's boxes wiped. Only
     * frames the detector ran on: on the frames between, someone who just came in has no box yet.
     */
    function sampleBackground(
      msg: TrackedMessage,
      cameraId: string,
      at: number,
      width: number,
      height: number,
    ) {
      if (msg.detectionSkipped === true || !Array.isArray(msg.detections) || !isJpeg(msg.payload)) return;
      if (!backgrounds.wants(cameraId, at)) return;
      const size = backgrounds.sizeFor(width, height);
      const boxes = peopleBoxes(msg);
      sharp(msg.payload as Buffer)
        .resize(size.width, size.height, { fit: 'fill' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer()
        .then(
          (rgb) => {
            if (!closed) backgrounds.add(cameraId, at, { width, height }, rgb, boxes);
          },
          (err: Error) => node.error(`${cameraId}: could not sample the background: ${err.message}`, msg),
        );
    }

    function command(name: (typeof COMMANDS)[number], msg: NodeMessage, cameras: CameraSelection): void {
      const now = Date.now();
      switch (name) {
        case 'restore': {
          const items = Array.isArray(msg.payload) ? msg.payload : [msg.payload];
          const outcome = store.restore(items, now);
          for (const id of outcome.applied) node.log(`${id}: restored today's saved heat`);
          for (const err of outcome.errors) node.error(err.message, msg);
          break;
        }
        case 'reset':
          // The emptied maps go to the store at once: a restart must not bring the old heat back.
          sendSnapshots(store.reset(cameras, now), 'reset');
          node.status(Status.idle(cameras.all ? 'reset' : `reset ${cameras.ids.join(', ')}`));
          break;
        case 'save':
        case 'snapshot':
          sendSnapshots(store.snapshots(cameras, now), name === 'save' ? 'save' : 'periodic', msg);
          break;
        case 'viewers': {
          const count = Number(msg.payload);
          const feed = String((msg as { feed?: unknown }).feed ?? '');
          // Only cameras this node draws: any path a browser asks a feed for is reported here too.
          if (!cameras.all && Number.isFinite(count)) {
            for (const id of cameras.ids) if (store.day(id)) schedule.setViewers(id, count, now, feed);
          }
          break;
        }
      }
    }

    node.on('input', (raw, send, done) => {
      const msg = raw as TrackedMessage;
      const name = commandOf(msg, COMMANDS);
      if (name) {
        try {
          command(name, msg, camerasOf(msg));
          done();
        } catch (err) {
          done(err as Error);
        }
        return;
      }
      if (!Array.isArray(msg.tracks)) {
        done(
          new Error(
            `msg.tracks is missing: wire the tracker to the heatmap, or send a command in msg.topic (${COMMANDS.join(', ')})`,
          ),
        );
        return;
      }
      const frame = msg.frame ?? {};
      const width = Number(frame.width);
      const height = Number(frame.height);
      if (!(width > 0 && height > 0)) {
        done(
          new Error(
            'msg.frame.width and height are missing: the heatmap needs the frame size (from rtsp-in)',
          ),
        );
        return;
      }
      const cameraId = cameraIdOf(msg);
      // Its overlay feed is served from now on, whatever node the camera's frames come from.
      knownCameras.add(cameraId, node.id);
      const now = Date.now();
      const at = typeof frame.capturedAt === 'number' ? frame.capturedAt : now;
      const footPoints = msg.tracks
        .map((t) => t.footPoint)
        .filter((p): p is [number, number] => Array.isArray(p) && p.length === 2);
      const outcome = store.addFrame({
        cameraId,
        width,
        height,
        footPoints,
        at,
        trackerUnique: msg.counts?.unique,
        now,
      });
      if (outcome.finishedDay) sendSnapshots([outcome.finishedDay], 'day-end');
      if (outcome.restored) node.log(`${cameraId}: restored today's saved heat`);
      if (outcome.restoreError) node.error(outcome.restoreError.message, msg);
      if (outcome.resized) {
        node.warn(
          `${cameraId}: the picture changed size to ${width}x${height}: today's heat starts again on a new grid`,
        );
      }
      const { day } = outcome;
      const statistics = store.cameraStatistics(cameraId, now)!;
      const out = msg as HeatmapMessage;
      out.heatmap = {
        cameraId,
        statistics,
        startedAt: day.map.startedAt ?? at,
        cameraGapSeconds: day.map.gapSeconds,
        gridCols: day.map.total.cols,
        gridRows: day.map.total.rows,
      };
      out.store = store.statistics(now);
      if (now - lastStatusAt >= 1000) {
        lastStatusAt = now;
        // The day's visitors, since the day's start: the tracker's status counts IDs since its own start.
        node.status(Status.ok(visitorsStatusText(Object.values(out.store.cameras), now)));
      }
      send([out, null, null]);
      sampleBackground(msg, cameraId, at, width, height);
      if (isJpeg(msg.payload) && schedule.begin(cameraId, now)) sendOverlay(msg, cameraId, at, now);
      done();
    });

    /** This camera's frame with its heat drawn over it, on the second output. */
    function sendOverlay(msg: TrackedMessage, cameraId: string, at: number, now: number): void {
      const day = store.day(cameraId)!;
      let painter = painters.get(cameraId);
      if (!painter) {
        painter = new OverlayPainter({ ...DEFAULT_OVERLAY, alpha });
        painters.set(cameraId, painter);
      }
      painter
        .paint(msg.payload as Buffer, liveView ? day.map.live(at) : day.map.total, now)
        .then(
          (jpeg) =>
            node.send([
              null,
              { topic: cameraId, payload: jpeg, frame: { ...msg.frame, overlay: true } },
              null,
            ]),
          (err: Error) => node.error(`${cameraId}: could not draw the heat overlay: ${err.message}`, msg),
        )
        .finally(() => schedule.end(cameraId));
    }

    // Once the flows run, ask heatmap-store for today's heat: a "modified nodes" deploy restarts this
    // node alone, and the store (which sends it by itself only when it starts) would otherwise let this
    // empty day replace the saved one. At a full deploy it comes twice; a day is not added twice.
    const askForRestore = () => node.send([null, null, { topic: 'heatmap/restore-request' }]);
    RED.events.once('flows:started', askForRestore);

    node.on('close', (done: () => void) => {
      RED.events.removeListener('flows:started', askForRestore);
      knownCameras.removeOwner(node.id);
      if (snapshotTimer) clearInterval(snapshotTimer);
      closed = true;
      backgrounds.clear();
      store.clear();
      schedule.clear();
      painters.clear();
      node.status(Status.clear());
      done();
    });
  }

  // The store's endpoints (http in nodes) answer a body too large with 413, not 500.
  answerHttpInBodyErrors(RED);
  RED.nodes.registerType('heatmap', HeatmapNode);
};
