import path from 'node:path';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { resolveClasses } from '../lib/yolo/classes';
import type { DetectRequest, ModelInfo } from '../lib/yolo/detector';
import type { DetectorClient, SharedDetector } from '../lib/yolo/shared-detector';
import { cameraIdOf } from '../shared/camera-id';
import { numberSetting } from '../shared/config';
import { RateMeter } from '../shared/rate-meter';
import { reportConfigError, Status } from '../shared/status';
import type { YoloModelNode } from '../yolo-model/yolo-model-types';
import type { DetectionsMessage, SkippedFrameMessage } from './yolo-detect-types';

/** The editor's `defaults`; every key here is a field of yolo-detect.html. */
interface YoloDetectDef extends NodeDef {
  model: string;
  classes: string;
  scoreThreshold: string | number;
  iouThreshold: string | number;
  detectEvery: string | number;
}

/** Errors of one kind are reported at most this often; frames in between are counted. */
const ERROR_REPORT_INTERVAL_MS = 10000;

export = function (RED: NodeAPI): void {
  function YoloDetectNode(this: Node, config: YoloDetectDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const scoreThreshold = numberSetting(config.scoreThreshold, 0.5);
    const iouThreshold = numberSetting(config.iouThreshold, 0.7);
    const detectEvery = numberSetting(config.detectEvery, 1);
    if (!(scoreThreshold > 0 && scoreThreshold < 1) || !(iouThreshold > 0 && iouThreshold <= 1)) {
      reportConfigError(node, 'confidence must be between 0 and 1 (exclusive), NMS IoU between 0 and 1');
      return;
    }
    if (!(Number.isInteger(detectEvery) && detectEvery >= 1 && detectEvery <= 100)) {
      reportConfigError(node, '"detect every" must be a whole number of frames from 1 to 100');
      return;
    }
    /** Frames seen per camera, for "detect every N frames". */
    const framesSeen = new Map<string, number>();
    const modelNode = RED.nodes.getNode(config.model) as YoloModelNode | null;
    if (!modelNode) {
      reportConfigError(node, 'no model selected: add a yolo-model configuration');
      return;
    }
    const shared = modelNode.acquireDetector();
    if (shared instanceof Error) {
      reportConfigError(node, shared.message);
      return;
    }
    const detector: SharedDetector = shared;
    const client: DetectorClient = detector.client();
    const modelName = path.basename(modelNode.modelPath);
    let request: DetectRequest | null = null;
    let loadError: Error | null = null;
    let lastErrorAt = 0;
    let closed = false;
    const rate = new RateMeter();
    let lastInferenceMs = 0;

    node.status(Status.connecting(`loading ${modelName}`));
    detector.ready.then(
      (info: ModelInfo) => {
        const classes = resolveClasses(config.classes ?? 'person', info.names);
        if (classes instanceof Error) {
          loadError = classes;
          reportConfigError(node, classes.message);
          return;
        }
        request = { scoreThreshold, iouThreshold, classes };
        if (info.providerWarning) node.warn(info.providerWarning);
        node.status(
          Status.ok(`${modelName} ready (${info.inputWidth}x${info.inputHeight}, ${info.executionProvider})`),
        );
      },
      (err: Error) => {
        loadError = err;
        reportConfigError(node, err.message);
      },
    );

    const statusTimer = setInterval(() => {
      if (loadError || !request || closed) return;
      const fps = rate.perSecond();
      if (fps === 0 && client.dropped === 0) return;
      node.status(
        Status.ok(`${fps.toFixed(1)} fps, ${Math.round(lastInferenceMs)} ms, dropped ${client.dropped}`),
      );
    }, 1000);

    node.on('input', (msg, send, done) => {
      if (loadError) {
        // The node already shows why; report again only now and then instead of once per frame.
        const now = Date.now();
        if (now - lastErrorAt > ERROR_REPORT_INTERVAL_MS) {
          lastErrorAt = now;
          done(loadError);
        } else {
          done();
        }
        return;
      }
      if (!Buffer.isBuffer(msg.payload)) {
        done(new Error('input is not an image: msg.payload must be a JPEG Buffer (connect rtsp-in)'));
        return;
      }
      if (detectEvery > 1) {
        // Only every Nth frame of a camera goes to the model; the others pass on marked, and the
        // tracker moves its tracks to them by prediction. More cameras fit on one model this way.
        const camera = cameraIdOf(msg);
        const seen = framesSeen.get(camera) ?? 0;
        framesSeen.set(camera, seen + 1);
        if (seen % detectEvery !== 0) {
          (msg as SkippedFrameMessage).detectionSkipped = true;
          send(msg);
          done();
          return;
        }
      }
      const go = request ? Promise.resolve(request) : detector.ready.then(() => request);
      go.then((req) => {
        if (!req) throw loadError ?? new Error('the model is not ready');
        return client.detect(msg.payload as Buffer, req);
      }).then(
        (outcome) => {
          if (outcome.kind === 'dropped' || closed) {
            // A newer frame took this one's place while the model was busy: counted in the status.
            done();
            return;
          }
          const { result } = outcome;
          rate.tick();
          lastInferenceMs = result.timings.inferenceMs;
          const out = msg as DetectionsMessage;
          out.detections = result.detections;
          out.detector = { model: modelName, ...result.timings };
          send(out);
          done();
        },
        (err: Error) => done(err),
      );
    });

    node.on('close', (done: () => void) => {
      closed = true;
      clearInterval(statusTimer);
      client.close();
      modelNode.releaseDetector(detector).finally(() => {
        node.status(Status.clear());
        done();
      });
    });
  }

  RED.nodes.registerType('yolo-detect', YoloDetectNode);
};
