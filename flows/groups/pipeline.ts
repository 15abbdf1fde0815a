/**
 * The camera pipeline: frames -> detection -> tracking -> heat, the two video feeds, and the
 * heatmap's commands in through one link.
 *
 *   camera frames     -> detect people, GET /video_feed
 *   detect people     -> track people -> heat per camera
 *   heatmap commands  -> heat per camera
 *   heat per camera   1 -> [to counting]   2 -> GET /overlay_feed (its 2 -> [viewers])
 *                     3 -> [heat snapshots] (to storage)   4 -> [history]
 *
 * heatmap commands come from: the store's restore, the HTTP API's and the dashboard's reset/save, and
 * the overlay feed's viewers. "heat snapshots" goes to storage (with the restore requests, and a save's
 * HTTP request, answered by the store), "history" (snapshots and backgrounds only) to the history group;
 * "to counting" to the counting group, which sends the frames on to the statistics.
 */
import { DEFAULT_HEAT_OPTIONS } from '../../nodes/lib/heatmap/heat-accumulator';
import { DEFAULT_TRACKER_OPTIONS } from '../../nodes/lib/track/byte-tracker';
import { FlowGroup, FlowNode, flowGroup } from '../builder/layout';
import { comment, linkIn, linkOut, node } from '../builder/nodes';
import { CameraSpec } from './cameras';

/** The yolo-model config node that "detect people" uses (one model for every camera). */
export function yoloModel(): FlowNode {
  return {
    id: 'sa-model',
    type: 'yolo-model',
    name: 'yolov8n',
    modelPath: '',
    inputSize: 'auto',
    threads: 1,
    sessions: 0,
    executionProvider: 'cpu',
  };
}

export function pipelineGroup(cameras: readonly CameraSpec[]): FlowGroup {
  const framesIn = linkIn(
    'sa-frames-in',
    'camera frames',
    600,
    100,
    ['sa-frames-out'],
    [['sa-detect', 'sa-video-feed']],
  );
  const detect = node(
    'yolo-detect',
    'sa-detect',
    'detect people',
    780,
    100,
    {
      model: 'sa-model',
      classes: 'person',
      scoreThreshold: 0.5,
      iouThreshold: 0.7,
      detectEvery: 1,
      motionGate: true,
    },
    [['sa-tracker']],
  );
  const tracker = node('tracker', 'sa-tracker', 'track people', 960, 100, { ...DEFAULT_TRACKER_OPTIONS }, [
    ['sa-heatmap'],
  ]);
  const commandsIn = linkIn(
    'sa-commands-in',
    'heatmap commands',
    990,
    175,
    ['sa-restore-out', 'sa-http-commands-out', 'sa-ui-commands-out', 'sa-viewers-out'],
    [['sa-heatmap']],
  );
  const heatmap = node(
    'heatmap',
    'sa-heatmap',
    'heat per camera',
    1150,
    120,
    {
      cellSize: DEFAULT_HEAT_OPTIONS.cellSize,
      radius: DEFAULT_HEAT_OPTIONS.radius,
      liveWindowMinutes: DEFAULT_HEAT_OPTIONS.liveWindowMinutes,
      maxFrameInterval: DEFAULT_HEAT_OPTIONS.maxFrameIntervalSeconds,
      alpha: 0.3,
      overlayFps: 5,
      overlayView: 'day',
      snapshotInterval: 1,
      backgroundInterval: 10,
      resetDaily: true,
    },
    [
      ['sa-counting-out'], // 1: analysed frames
      ['sa-overlay-feed'], // 2: overlay frames
      ['sa-snapshots-out'], // 3: to the heat store
      ['sa-heat-history-out'], // 4: to history
    ],
  );
  // The frames go through the counting group first and leave it to the statistics.
  const countingOut = linkOut('sa-counting-out', 'to counting', 1350, 60, ['sa-counting-in']);
  const overlayFeed = node(
    'mjpeg-out',
    'sa-overlay-feed',
    'GET /overlay_feed',
    1350,
    120,
    // Viewer counts to the heatmap, which draws no overlay nobody watches.
    { path: '/overlay_feed', maxClients: 0, camera: cameras[0].id, viewerCounts: true },
    [[], ['sa-viewers-out']],
  );
  const viewersOut = linkOut('sa-viewers-out', 'viewers', 1540, 120, ['sa-commands-in']);
  const snapshotsOut = linkOut('sa-snapshots-out', 'heat snapshots', 1350, 180, ['sa-snapshots-in']);
  const heatHistoryOut = linkOut('sa-heat-history-out', 'history', 1540, 180, ['sa-history-in']);
  const videoFeed = node(
    'mjpeg-out',
    'sa-video-feed',
    'GET /video_feed',
    760,
    180,
    { path: '/video_feed', maxClients: 0, camera: cameras[0].id, viewerCounts: true },
    [[], []],
  );
  const note = comment(
    'sa-pipeline-note',
    'One chain serves every camera',
    1150,
    240,
    'Detection, tracking and heat keep each camera apart by its camera id (msg.frame.sourceId). ' +
      'The heatmap takes commands by msg.topic through "heatmap commands": reset, save, snapshot, ' +
      'restore (from the store) and viewers (from the overlay feed, so no overlay is drawn for nobody); ' +
      'msg.cameras names the cameras a command acts on (default: all).',
  );
  return flowGroup('sa-g-pipeline', 'Camera pipeline: detect, track, heat, video', 'pipeline', [
    framesIn,
    detect,
    tracker,
    commandsIn,
    heatmap,
    countingOut,
    overlayFeed,
    viewersOut,
    snapshotsOut,
    heatHistoryOut,
    videoFeed,
    note,
  ]);
}
