import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { camerasOf, selected } from '../lib/control/command';
import { trackerStatusText } from '../lib/control/count-labels';
import { routeMessage } from '../lib/messages/message-kinds';
import { CameraTrackers, isDetectionList } from '../lib/track/camera-trackers';
import { trackerOptionsOf, type TrackerFields } from '../lib/track/tracker-settings';
import { cameraIdOf } from '../shared/camera-id';
import { reportConfigError, Status } from '../shared/status';
import type { TracksMessage } from './tracker-types';

/** The editor's `defaults`: the tracker options (as strings from the form) and a name. */
type TrackerDef = NodeDef & TrackerFields;

type DetectionsIn = NodeMessage & {
  frame?: { capturedAt?: number };
  detections?: unknown;
  detectionSkipped?: boolean;
};

const NOT_DETECTIONS =
  'msg.detections is missing or not a list of { box: [x1, y1, x2, y2], score }: connect yolo-detect before the tracker';
const INPUT = { expects: `yolo-detect's frames (${NOT_DETECTIONS})`, commands: ['reset'] };

export = function (RED: NodeAPI): void {
  function TrackerNode(this: Node, config: TrackerDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const options = trackerOptionsOf(config);
    if (typeof options === 'string') {
      reportConfigError(node, options);
      return;
    }
    // One tracker per camera (msg.frame.sourceId), each with its own ID counter.
    const trackers = new CameraTrackers(options);
    let lastStatusAt = 0;
    node.status(Status.idle('waiting for detections'));

    const reset = (msg: NodeMessage, done: (err?: Error) => void) => {
      try {
        trackers.reset(selected(camerasOf(msg), trackers.cameras()), Date.now());
      } catch (err) {
        done(err as Error);
        return;
      }
      node.status(Status.idle('reset'));
      done();
    };

    const track = (msg: DetectionsIn, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      const detections = isDetectionList(msg.detections) ? msg.detections : null;
      // A frame yolo-detect passed over ("detect every N frames"): tracks move by prediction.
      if (!detections && msg.detectionSkipped !== true) {
        done(new Error(NOT_DETECTIONS));
        return;
      }
      const now = Date.now();
      const at = typeof msg.frame?.capturedAt === 'number' ? msg.frame.capturedAt : now;
      const out = Object.assign(msg, trackers.frame(cameraIdOf(msg), detections, at, now)) as TracksMessage;
      if (now - lastStatusAt >= 1000) {
        lastStatusAt = now;
        // Every camera's, and since when: the heatmap's visitors are the day's, which a deploy keeps.
        node.status(Status.ok(trackerStatusText(trackers.statusCounts(), now)));
      }
      send(out);
      done();
    };

    node.on('input', (msg, send, done) => {
      const handlers = {
        command: (m: NodeMessage) => reset(m, done),
        detections: (m: NodeMessage) => track(m, send, done),
      };
      routeMessage(msg, handlers, done, INPUT);
    });

    node.on('close', (done: () => void) => {
      trackers.clear();
      node.status(Status.clear());
      done();
    });
  }

  RED.nodes.registerType('tracker', TrackerNode);
};
