import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { ByteTracker, DEFAULT_TRACKER_OPTIONS, TrackerOptions } from '../lib/track/byte-tracker';
import type { TrackInput } from '../lib/track/track';
import { numberSetting } from '../shared/config';
import { camerasOf, commandOf, selected } from '../lib/control/command';
import { TrackerCount, trackerStatusText } from '../lib/control/count-labels';
import { cameraIdOf } from '../shared/camera-id';
import { reportConfigError, Status } from '../shared/status';
import type { TracksMessage } from './tracker-types';

/** The editor's `defaults`: the tracker options (as strings from the form) and a name. */
type TrackerDef = NodeDef & { [K in keyof TrackerOptions]: string | number };

const OPTION_LIMITS: { [K in keyof TrackerOptions]: [min: number, max: number] } = {
  trackActivationThreshold: [0.01, 1],
  lowScoreThreshold: [0, 1],
  minimumMatchingIou: [0.01, 1],
  lostTrackBufferSeconds: [0, 600],
  minimumHitsToConfirm: [1, 100],
  reidSimilarityThreshold: [0, 1],
  maximumSpeedHeightsPerSecond: [0, 100],
  appearanceVetoThreshold: [0, 1],
};

function readOptions(config: TrackerDef): TrackerOptions | string {
  const options = { ...DEFAULT_TRACKER_OPTIONS };
  for (const key of Object.keys(OPTION_LIMITS) as Array<keyof TrackerOptions>) {
    const value = numberSetting(config[key], DEFAULT_TRACKER_OPTIONS[key]);
    const [min, max] = OPTION_LIMITS[key];
    if (!(value >= min && value <= max)) return `${key} must be between ${min} and ${max}`;
    options[key] = value;
  }
  if (options.lowScoreThreshold > options.trackActivationThreshold) {
    return 'lowScoreThreshold must not be above trackActivationThreshold';
  }
  return options;
}

function isDetectionList(value: unknown): value is TrackInput[] {
  return (
    Array.isArray(value) &&
    value.every(
      (d) =>
        d &&
        Array.isArray(d.box) &&
        d.box.length === 4 &&
        d.box.every((v: unknown) => typeof v === 'number' && Number.isFinite(v)) &&
        typeof d.score === 'number',
    )
  );
}

export = function (RED: NodeAPI): void {
  function TrackerNode(this: Node, config: TrackerDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const options = readOptions(config);
    if (typeof options === 'string') {
      reportConfigError(node, options);
      return;
    }
    // One tracker per camera (msg.frame.sourceId), each with its own ID counter.
    const trackers = new Map<string, ByteTracker>();
    /** Per camera: its last frame's people, and the IDs given since its tracker began or was reset. */
    const counts = new Map<string, TrackerCount>();
    const trackerFor = (source: string) => {
      let tracker = trackers.get(source);
      if (!tracker) {
        tracker = new ByteTracker(options);
        trackers.set(source, tracker);
        counts.set(source, { inView: 0, unique: 0, since: Date.now() });
      }
      return tracker;
    };
    let lastStatusAt = 0;
    node.status(Status.idle('waiting for detections'));

    node.on('input', (msg, send, done) => {
      const frame = (msg as NodeMessage & { frame?: { capturedAt?: number } }).frame;
      const source = cameraIdOf(msg);
      if (commandOf(msg, ['reset'])) {
        try {
          for (const id of selected(camerasOf(msg), trackers.keys())) {
            trackers.get(id)!.reset();
            counts.set(id, { inView: 0, unique: 0, since: Date.now() });
          }
        } catch (err) {
          done(err as Error);
          return;
        }
        node.status(Status.idle('reset'));
        done();
        return;
      }
      const detections = (msg as NodeMessage & { detections?: unknown }).detections;
      const skipped = (msg as NodeMessage & { detectionSkipped?: unknown }).detectionSkipped === true;
      if (!skipped && !isDetectionList(detections)) {
        done(
          new Error(
            'msg.detections is missing or not a list of { box: [x1, y1, x2, y2], score }: connect yolo-detect before the tracker',
          ),
        );
        return;
      }
      const at = typeof frame?.capturedAt === 'number' ? frame.capturedAt : Date.now();
      const tracker = trackerFor(source);
      // A frame yolo-detect passed over ("detect every N frames"): tracks move by prediction.
      const tracks =
        skipped && !isDetectionList(detections)
          ? tracker.predict(at)
          : tracker.update(detections as TrackInput[], at);
      const out = msg as TracksMessage;
      out.tracks = tracks;
      out.counts = { inView: tracks.length, unique: tracker.uniqueCount };
      const count = counts.get(source)!;
      count.inView = out.counts.inView;
      count.unique = out.counts.unique;
      const now = Date.now();
      if (now - lastStatusAt >= 1000) {
        lastStatusAt = now;
        // Every camera's, and since when: the heatmap's visitors are the day's, which a deploy keeps.
        node.status(Status.ok(trackerStatusText([...counts.values()], now)));
      }
      send(out);
      done();
    });

    node.on('close', (done: () => void) => {
      trackers.clear();
      counts.clear();
      node.status(Status.clear());
      done();
    });
  }

  RED.nodes.registerType('tracker', TrackerNode);
};
