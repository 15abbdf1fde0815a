import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { CameraDay } from '../lib/heatmap/camera-day';
import { DEFAULT_HEAT_OPTIONS } from '../lib/heatmap/heat-accumulator';
import { isHeatSnapshot } from '../lib/heatmap/heat-snapshot';
import { DEFAULT_OVERLAY, OverlayPainter } from '../lib/heatmap/overlay';
import { isJpeg } from '../lib/image/jpeg-splitter';
import { dayFolder } from '../lib/time/local-day';
import { cameraIdOf, camerasNamed, resetCameras } from '../shared/camera-id';
import { numberSetting } from '../shared/config';
import { controlCommand } from '../shared/control';
import { framesWanted } from '../shared/frame-demand';
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
  resetDaily: boolean;
}

interface FrameLike {
  capturedAt?: number;
  width?: number;
  height?: number;
}

type InputMessage = NodeMessage & {
  frame?: FrameLike;
  tracks?: Array<{ footPoint?: [number, number] }>;
  counts?: { unique?: number };
};

/** Video frames stop counting as the overlay's source after this long without one. */
const VIDEO_FRAMES_TIMEOUT_MS = 2000;

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
    const resetDaily = config.resetDaily !== false;
    const liveView = config.overlayView === 'live';
    const overlayTargets = (config as HeatmapDef & { wires?: string[][] }).wires?.[1] ?? [];
    if (
      !(settings.cellSize >= 1 && settings.cellSize <= 64) ||
      !(settings.radius > 0) ||
      !(settings.liveWindowMinutes >= 1 && settings.liveWindowMinutes <= 1440) ||
      !(settings.maxFrameIntervalSeconds > 0) ||
      !(alpha >= 0 && alpha <= 1) ||
      !(overlayFps >= 0 && overlayFps <= 30) ||
      !(snapshotSeconds >= 0)
    ) {
      reportConfigError(
        node,
        'check the settings: cell 1-64 px, radius > 0, window 1-1440 min, alpha 0-1, overlay 0-30 fps, snapshots >= 0 s',
      );
      return;
    }
    // One day per camera, created at its first frame or restored snapshot (the frame size fixes the grid).
    const days = new Map<string, CameraDay>();
    let overlayBusy = false;
    let lastOverlayAt = 0;
    let lastStatusAt = 0;
    node.status(Status.idle('waiting for tracks'));

    // Per camera: its day, and what draws its overlay (holding the coloured heat for a second).
    const painters = new Map<string, OverlayPainter>();
    /** When each camera's last video frame (without tracks) came: then those carry the overlay. */
    const videoFrameAt = new Map<string, number>();

    function dayFor(cameraId: string, sourceWidth: number, sourceHeight: number): CameraDay {
      let day = days.get(cameraId);
      const grid = day?.map.total;
      if (!day || grid!.sourceWidth !== sourceWidth || grid!.sourceHeight !== sourceHeight) {
        day = new CameraDay(cameraId, { ...settings, sourceWidth, sourceHeight });
        days.set(cameraId, day);
        painters.set(cameraId, new OverlayPainter({ ...DEFAULT_OVERLAY, alpha }));
      }
      return day;
    }

    /**
     * Sends the cameras' heat on the third output (for heatmap-store). `save` asks the store to
     * write it now; the triggering message's properties (an HTTP request's res, say) ride along.
     */
    function sendSnapshots(
      cameras: string[],
      save: boolean,
      base: NodeMessage | null,
      savedAt = Date.now(),
    ): void {
      const snapshots = cameras.flatMap((id) => days.get(id)?.snapshot(savedAt) ?? []);
      if (snapshots.length === 0 && !base) return;
      const out: HeatSnapshotMessage = {
        ...(base ?? {}),
        topic: 'heatmap/snapshot',
        payload: snapshots,
        save,
      };
      node.send([null, null, out]);
    }

    // Changed maps go to the store every few seconds, so a redeploy loses at most that much heat.
    const snapshotTimer =
      snapshotSeconds > 0
        ? setInterval(() => {
            const changed = [...days.values()].filter((d) => d.changedSinceSnapshot).map((d) => d.cameraId);
            if (changed.length > 0) sendSnapshots(changed, false, null);
          }, snapshotSeconds * 1000)
        : null;

    function restore(msg: NodeMessage): void {
      const snapshots = (Array.isArray(msg.payload) ? msg.payload : [msg.payload]) as unknown[];
      for (const snapshot of snapshots) {
        if (!isHeatSnapshot(snapshot)) {
          node.error('a restore message needs heat snapshots from heatmap-store in msg.payload', msg);
          continue;
        }
        const { meta } = snapshot;
        if (resetDaily && dayFolder(meta.savedAt) !== dayFolder(Date.now())) continue; // another day's
        try {
          if (dayFor(meta.cameraId, meta.sourceWidth, meta.sourceHeight).restore(snapshot)) {
            node.log(`${meta.cameraId}: restored the heat since ${new Date(meta.startedAt).toISOString()}`);
          }
        } catch (err) {
          node.error(`${meta.cameraId}: could not restore the saved heatmap: ${(err as Error).message}`, msg);
        }
      }
    }

    node.on('input', (raw, send, done) => {
      const msg = raw as InputMessage;
      const frame = msg.frame ?? {};
      const cameraId = cameraIdOf(msg);
      if (!msg.tracks) {
        const command = controlCommand(msg, ['reset', 'save', 'snapshot', 'restore']);
        if (command === 'restore') restore(msg);
        else if (command === 'reset') {
          const now = Date.now();
          resetCameras(days, msg, (day) => day.reset(now));
          // The emptied map goes to the store at once: a restart must not bring the old heat back.
          sendSnapshots(camerasNamed(days, msg), true, null, now);
          node.status(Status.idle('reset'));
        } else if (command === 'save' || command === 'snapshot') {
          sendSnapshots(camerasNamed(days, msg), command === 'save', msg);
        }
        if (command) {
          done();
          return;
        }
      }
      if (
        !Array.isArray(msg.tracks) &&
        isJpeg(msg.payload) &&
        Number(frame.width) > 0 &&
        Number(frame.height) > 0
      ) {
        // A video frame straight from the camera: drawn on for the overlay, no heat added.
        const day = dayFor(cameraId, Number(frame.width), Number(frame.height));
        const now = Date.now();
        videoFrameAt.set(cameraId, now);
        sendOverlay(msg, day, typeof frame.capturedAt === 'number' ? frame.capturedAt : now, now);
        done();
        return;
      }
      if (!Array.isArray(msg.tracks)) {
        done(new Error('msg.tracks is missing: connect the tracker before the heatmap'));
        return;
      }
      if (!(Number(frame.width) > 0 && Number(frame.height) > 0)) {
        done(
          new Error(
            'msg.frame.width and height are missing: the heatmap needs the frame size (from rtsp-in)',
          ),
        );
        return;
      }
      const day = dayFor(cameraId, Number(frame.width), Number(frame.height));
      const map = day.map;
      const at = typeof frame.capturedAt === 'number' ? frame.capturedAt : Date.now();
      if (resetDaily && day.isNewDay(at)) {
        // Midnight: the finished day is saved under its own date, and today starts empty.
        sendSnapshots([cameraId], true, null, map.lastFrameAt!);
        day.reset(at);
      }
      const feet = msg.tracks
        .map((t) => t.footPoint)
        .filter((p): p is [number, number] => Array.isArray(p) && p.length === 2);
      day.addFrame(feet, at, msg.counts?.unique);
      const startedAt = map.startedAt ?? at;
      const statistics = day.statistics(at);
      const out = msg as HeatmapMessage;
      out.heatmap = {
        cameraId,
        statistics,
        startedAt,
        cameraGapSeconds: map.gapSeconds,
        gridCols: map.total.cols,
        gridRows: map.total.rows,
      };
      const now = Date.now();
      if (now - lastStatusAt >= 1000) {
        lastStatusAt = now;
        node.status(
          Status.ok(`${statistics.totalActivity} of activity, ${statistics.uniquePeople} visitors`),
        );
      }
      send([out, null, null]);
      // With video frames coming in too (fresher: not held up by detection), they carry the overlay.
      if (!(now - (videoFrameAt.get(cameraId) ?? -Infinity) < VIDEO_FRAMES_TIMEOUT_MS)) {
        sendOverlay(msg, day, at, now);
      }
      done();
    });

    /** The overlay frame: at most overlayFps, never two at once, and only when someone will see it. */
    function sendOverlay(msg: InputMessage, day: CameraDay, at: number, now: number): void {
      if (overlayFps <= 0 || overlayBusy || now - lastOverlayAt < 1000 / overlayFps || !isJpeg(msg.payload))
        return;
      if (!framesWanted(RED, overlayTargets)) return;
      overlayBusy = true;
      lastOverlayAt = now;
      const frame = msg.frame ?? {};
      const grid = liveView ? day.map.live(at) : day.map.total;
      const started = performance.now();
      painters
        .get(day.cameraId)!
        .paint(msg.payload, grid, now)
        .then(
          (jpeg) =>
            node.send([
              null,
              {
                topic: msg.topic,
                payload: jpeg,
                // overlayMs: the blend and JPEG encode, for the benchmark's stage table.
                frame: { ...frame, overlay: true, overlayMs: performance.now() - started },
              } as NodeMessage,
              null,
            ]),
          (err: Error) => node.error(`could not draw the heat overlay: ${err.message}`, msg),
        )
        .finally(() => {
          overlayBusy = false;
        });
    }

    node.on('close', (done: () => void) => {
      if (snapshotTimer) clearInterval(snapshotTimer);
      days.clear();
      painters.clear();
      node.status(Status.clear());
      done();
    });
  }

  RED.nodes.registerType('heatmap', HeatmapNode);
};
