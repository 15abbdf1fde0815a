import path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { routeMessage } from '../lib/messages/message-kinds';
import { greyFrameOf } from '../lib/motion/grey-thumbnail';
import { CameraLanes } from '../lib/yolo/camera-lanes';
import { resolveClasses } from '../lib/yolo/classes';
import { detectSettingsOf, type DetectFields } from '../lib/yolo/detect-settings';
import { DEFAULT_DETECTION_POLICY } from '../lib/yolo/detection-policy';
import { detectionStatus } from '../lib/yolo/detection-status';
import type { DetectRequest, ModelInfo } from '../lib/yolo/detector';
import { ErrorThrottle } from '../lib/yolo/error-throttle';
import { cameraIdOf } from '../shared/camera-id';
import { reportConfigError, Status } from '../shared/status';
import type { YoloModelNode } from '../yolo-model/yolo-model-types';
import type { DetectionsMessage, SkippedFrameMessage } from './yolo-detect-types';

/** The editor's `defaults`; every key here is a field of yolo-detect.html. */
type YoloDetectDef = NodeDef & DetectFields & { model: string; classes: string };

type FrameMsg = NodeMessage & { payload: Buffer; frame?: { capturedAt?: number; thumbnail?: unknown } };
type OutMsg = NodeMessage & Partial<DetectionsMessage & SkippedFrameMessage>;

const INPUT = {
  expects: 'a camera frame (input is not an image: msg.payload must be a JPEG Buffer; connect rtsp-in)',
};

export = function (RED: NodeAPI): void {
  function YoloDetectNode(this: Node, config: YoloDetectDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings = detectSettingsOf(config);
    if (typeof settings === 'string') {
      reportConfigError(node, settings);
      return;
    }
    const { scoreThreshold, iouThreshold, detectEvery, motionGate } = settings;
    const modelNode = RED.nodes.getNode(config.model) as YoloModelNode | null;
    if (!modelNode) {
      reportConfigError(node, 'no model selected: add a yolo-model configuration');
      return;
    }
    const detector = modelNode.acquireDetector();
    if (detector instanceof Error) {
      reportConfigError(node, detector.message);
      return;
    }
    const modelName = path.basename(modelNode.modelPath);
    let request: DetectRequest | null = null;
    let loadError: Error | null = null;
    const errors = new ErrorThrottle();

    node.status(Status.connecting(`loading ${modelName}`));
    // Rejects when the model cannot load or does not know the classes asked for.
    const loaded = detector.ready.then((info: ModelInfo) => {
      const classes = resolveClasses(config.classes ?? 'person', info.names);
      if (classes instanceof Error) throw classes;
      request = { scoreThreshold, iouThreshold, classes };
      if (info.providerWarning) node.warn(info.providerWarning);
      // A free-size model: each camera's input is its own aspect at this long side.
      const size =
        info.inputSize === null
          ? `${info.inputWidth}x${info.inputHeight}`
          : info.autoInputSizes
            ? `auto ${info.autoInputSizes.join('/')} px`
            : `${info.inputSize} px`;
      node.status(Status.ok(`${modelName} ready (${size}, ${info.executionProvider})`));
    });
    loaded.catch((err: Error) => {
      loadError = err;
      reportConfigError(node, err.message);
    });
    const lanes = new CameraLanes<FrameMsg>({
      newClient: () => detector.client(),
      policy: { ...DEFAULT_DETECTION_POLICY, detectEvery, motionGate },
      request: () => loaded.then(() => request!),
      release: (msg, outcome, stats) => {
        const out = msg as OutMsg;
        out.detectionStats = stats;
        if (outcome.kind === 'detected') {
          out.detections = outcome.result.detections;
          out.detector = { model: modelName, ...outcome.result.timings, input: outcome.result.input };
        } else {
          out.detectionSkipped = true;
          out.skippedBecause = outcome.reason;
        }
        node.send(out);
      },
    });
    const expiry = setInterval(() => lanes.expire(Date.now()), 250);
    const statusTimer = setInterval(() => {
      if (loadError || !request) return;
      const now = Date.now();
      const summary = lanes.second(now);
      // A recent error stays in view until the next report interval.
      if (summary.framesPerSecond === 0 || errors.showing(now)) return;
      const status = detectionStatus(summary);
      node.status(status.state === 'idle' ? Status.idle(status.text) : Status.ok(status.text));
    }, 1000);

    const detectFrame = (msg: FrameMsg, done: (err?: Error) => void) => {
      const now = Date.now();
      const input = {
        frame: msg,
        jpeg: msg.payload,
        capturedAt: typeof msg.frame?.capturedAt === 'number' ? msg.frame.capturedAt : now,
        thumbnail: greyFrameOf(msg.frame?.thumbnail),
      };
      lanes.take(cameraIdOf(msg), input, now).then(
        () => done(),
        (err: Error) => {
          // The frame went on (the tracker predicts it); the error goes to Catch nodes now and then.
          if (!errors.report(Date.now(), err.message)) return done();
          node.status(Status.error(err.message));
          done(err);
        },
      );
    };

    node.on('input', (msg, _send, done) => {
      if (loadError) {
        // The node already shows why; report again only now and then instead of once per frame.
        done(errors.report(Date.now()) ? loadError : undefined);
        return;
      }
      routeMessage(msg, { frame: (m) => detectFrame(m as FrameMsg, done) }, done, INPUT);
    });

    node.on('close', (done: () => void) => {
      clearInterval(statusTimer);
      clearInterval(expiry);
      lanes.close();
      modelNode.releaseDetector(detector).finally(() => {
        node.status(Status.clear());
        done();
      });
    });
  }

  RED.nodes.registerType('yolo-detect', YoloDetectNode);
};
