import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { DEFAULT_HEAT_OPTIONS, HeatAccumulator } from '../lib/heatmap/heat-accumulator';
import { DEFAULT_OVERLAY, overlayHeat } from '../lib/heatmap/overlay';
import { heatStatistics } from '../lib/heatmap/statistics';
import { isJpeg } from '../lib/image/jpeg-splitter';
import { numberSetting } from '../shared/config';
import { cameraIdOf, resetCameras } from '../shared/camera-id';
import { controlCommand } from '../shared/control';
import { reportConfigError, Status } from '../shared/status';
import type { HeatmapMessage } from './heatmap-types';

/** The editor's `defaults`; every key here is a field of heatmap.html. */
interface HeatmapDef extends NodeDef {
  cellSize: string | number;
  radius: string | number;
  liveWindowMinutes: string | number;
  maxFrameInterval: string | number;
  alpha: string | number;
  overlayFps: string | number;
  overlayView: 'day' | 'live';
}

interface FrameLike {
  capturedAt?: number;
  width?: number;
  height?: number;
}

type InputMessage = NodeMessage & { frame?: FrameLike; tracks?: Array<{ footPoint?: [number, number] }> };

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
    const liveView = config.overlayView === 'live';
    if (
      !(settings.cellSize >= 1 && settings.cellSize <= 64) ||
      !(settings.radius > 0) ||
      !(settings.liveWindowMinutes >= 1 && settings.liveWindowMinutes <= 1440) ||
      !(settings.maxFrameIntervalSeconds > 0) ||
      !(alpha >= 0 && alpha <= 1) ||
      !(overlayFps >= 0 && overlayFps <= 30)
    ) {
      reportConfigError(
        node,
        'check the settings: cell 1-64 px, radius > 0, window 1-1440 min, alpha 0-1, overlay 0-30 fps',
      );
      return;
    }
    // One map per camera, created at its first frame (the frame size fixes the grid).
    const maps = new Map<string, HeatAccumulator>();
    let overlayBusy = false;
    let lastOverlayAt = 0;
    let lastStatusAt = 0;
    node.status(Status.idle('waiting for tracks'));

    node.on('input', (raw, send, done) => {
      const msg = raw as InputMessage;
      const frame = msg.frame ?? {};
      const cameraId = cameraIdOf(msg);
      if (controlCommand(msg, ['reset']) && !msg.tracks) {
        resetCameras(maps, msg, (map) => map.reset());
        node.status(Status.idle('reset'));
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
      let map = maps.get(cameraId);
      if (!map || map.total.sourceWidth !== frame.width || map.total.sourceHeight !== frame.height) {
        map = new HeatAccumulator({
          ...settings,
          sourceWidth: Number(frame.width),
          sourceHeight: Number(frame.height),
        });
        maps.set(cameraId, map);
      }
      const at = typeof frame.capturedAt === 'number' ? frame.capturedAt : Date.now();
      const feet = msg.tracks
        .map((t) => t.footPoint)
        .filter((p): p is [number, number] => Array.isArray(p) && p.length === 2);
      map.addFrame(feet, at);
      const statistics = heatStatistics(map.total);
      const out = msg as HeatmapMessage;
      out.heatmap = {
        cameraId,
        statistics,
        startedAt: map.startedAt ?? at,
        cameraGapSeconds: map.gapSeconds,
        gridCols: map.total.cols,
        gridRows: map.total.rows,
      };
      const now = Date.now();
      if (now - lastStatusAt >= 1000) {
        lastStatusAt = now;
        node.status(Status.ok(`${statistics.totalActivity} of activity`));
      }
      send([out, null]);
      // The overlay frame: at most overlayFps, and never a second one while one is being made.
      if (overlayFps > 0 && !overlayBusy && now - lastOverlayAt >= 1000 / overlayFps && isJpeg(msg.payload)) {
        overlayBusy = true;
        lastOverlayAt = now;
        const grid = liveView ? map.live(at) : map.total;
        overlayHeat(msg.payload, grid, { ...DEFAULT_OVERLAY, alpha })
          .then(
            (jpeg) =>
              send([
                null,
                { topic: msg.topic, payload: jpeg, frame: { ...frame, overlay: true } } as NodeMessage,
              ]),
            (err: Error) => node.error(`could not draw the heat overlay: ${err.message}`, msg),
          )
          .finally(() => {
            overlayBusy = false;
          });
      }
      done();
    });

    node.on('close', (done: () => void) => {
      maps.clear();
      node.status(Status.clear());
      done();
    });
  }

  RED.nodes.registerType('heatmap', HeatmapNode);
};
