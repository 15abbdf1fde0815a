import path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { resolveClasses } from '../lib/yolo/classes';
import { greyThumbnail, MOTION_THUMBNAIL } from '../lib/motion/grey-thumbnail';
import { MotionDetector, wantsModel, type GreyFrame } from '../lib/motion/motion-detector';
import { CameraDetectionPolicy, DEFAULT_DETECTION_POLICY } from '../lib/yolo/detection-policy';
import type { DetectRequest, DetectResult, ModelInfo } from '../lib/yolo/detector';
import { FrameSequencer, type FrameOutcome } from '../lib/yolo/frame-sequencer';
import type { DetectorClient, SharedDetector } from '../lib/yolo/shared-detector';
import { cameraIdOf } from '../shared/camera-id';
import { numberSetting } from '../shared/config';
import { RateMeter } from '../shared/rate-meter';
import { reportConfigError, Status } from '../shared/status';
import type { YoloModelNode } from '../yolo-model/yolo-model-types';
import {
  type CameraDetectionStats,
  type DetectionsMessage,
  type SkippedFrameMessage,
} from './yolo-detect-types';

/** The editor's `defaults`; every key here is a field of yolo-detect.html. */
interface YoloDetectDef extends NodeDef {
  model: string;
  classes: string;
  scoreThreshold: string | number;
  iouThreshold: string | number;
  detectEvery: string | number;
  /** Missing in flows saved before it existed: on, as the default flow has it. */
  motionGate?: boolean;
}

type FrameMsg = NodeMessage & {
  payload: Buffer;
  frame?: { capturedAt?: number; thumbnail?: { width: number; height: number; grey: Buffer } };
};

/** One camera's share of the node: its own detector handle, motion, policy and frame order. */
interface CameraLane {
  client: DetectorClient;
  motion: MotionDetector;
  policy: CameraDetectionPolicy;
  sequencer: FrameSequencer<FrameMsg, DetectResult>;
  /** Motion analysis of this camera's frames, one after another (the background learns in order). */
  analysis: Promise<void>;
  frames: RateMeter;
  detections: RateMeter;
  stats: CameraDetectionStats;
  /** Frames in the last status second that the gate passed over for lack of motion. */
  idleFrames: number;
  framesThisSecond: number;
  /** Motion analyses started and not finished. */
  analysesPending: number;
  lastFrameAt: number;
}

/** Motion analyses a camera may have waiting before its frames count as moving unanalysed. */
const MAX_PENDING_ANALYSES = 3;
/** A camera that sent nothing for this long is forgotten (its detector handle and motion buffers). */
const IDLE_CAMERA_MS = 60000;

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
    const motionGate = config.motionGate !== false;
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
    const modelName = path.basename(modelNode.modelPath);
    let request: DetectRequest | null = null;
    let loadError: Error | null = null;
    let lastErrorAt = 0;
    let lastErrorText = '';
    let closed = false;
    let lastInferenceMs = 0;
    const lanes = new Map<string, CameraLane>();
    // Frames waiting behind a detection that got no answer in time go on without it.
    const expiry = setInterval(() => {
      const now = Date.now();
      for (const lane of lanes.values()) lane.sequencer.expire(now);
    }, 250);
    const laneFor = (camera: string): CameraLane => {
      let lane = lanes.get(camera);
      if (lane) return lane;
      const stats: CameraDetectionStats = {
        detectionsPerSecond: 0,
        framesPerSecond: 0,
        detected: 0,
        skippedByMotion: 0,
        droppedByLoad: 0,
      };
      lane = {
        client: detector.client(),
        motion: new MotionDetector(),
        policy: new CameraDetectionPolicy({ ...DEFAULT_DETECTION_POLICY, detectEvery, motionGate }),
        sequencer: new FrameSequencer((msg, outcome) => release(msg, outcome, stats)),
        analysis: Promise.resolve(),
        frames: new RateMeter(),
        detections: new RateMeter(),
        stats,
        idleFrames: 0,
        framesThisSecond: 0,
        analysesPending: 0,
        lastFrameAt: Date.now(),
      };
      lanes.set(camera, lane);
      return lane;
    };

    /** Every frame leaves here, in its camera's capture order: detected, or for the tracker to predict. */
    const release = (msg: FrameMsg, outcome: FrameOutcome<DetectResult>, stats: CameraDetectionStats) => {
      if (closed) return;
      const out = msg as NodeMessage & Partial<DetectionsMessage & SkippedFrameMessage>;
      // A copy: the node keeps counting in its own, and a flow may change the message's.
      out.detectionStats = { ...stats };
      if (outcome.kind === 'detected') {
        const { result } = outcome;
        out.detections = result.detections;
        out.detector = { model: modelName, ...result.timings };
      } else {
        out.detectionSkipped = true;
        out.skippedBecause = outcome.reason;
      }
      node.send(out);
    };
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
      let detections = 0;
      let frames = 0;
      let idle = 0;
      let dropped = 0;
      const now = Date.now();
      for (const [camera, lane] of lanes) {
        if (now - lane.lastFrameAt > IDLE_CAMERA_MS && lane.sequencer.waiting === 0) {
          lane.client.close();
          lanes.delete(camera);
          continue;
        }
        const s = lane.stats;
        s.detectionsPerSecond = Number(lane.detections.perSecond(now).toFixed(2));
        s.framesPerSecond = Number(lane.frames.perSecond(now).toFixed(2));
        detections += s.detectionsPerSecond;
        frames += s.framesPerSecond;
        dropped += s.droppedByLoad;
        // Idle: every frame of the last second passed over for lack of motion.
        if (lane.framesThisSecond > 0 && lane.idleFrames === lane.framesThisSecond) idle++;
        lane.idleFrames = 0;
        lane.framesThisSecond = 0;
      }
      // A recent error stays in view until the next report interval.
      if (frames === 0 || (lastErrorText && now - lastErrorAt < ERROR_REPORT_INTERVAL_MS)) return;
      lastErrorText = '';
      if (idle === lanes.size) {
        node.status(Status.idle(lanes.size === 1 ? 'idle (no motion)' : `idle (no motion), ${idle} cameras`));
        return;
      }
      const cameras = lanes.size === 1 ? '' : `, ${lanes.size} cameras${idle ? ` (${idle} idle)` : ''}`;
      node.status(
        Status.ok(
          `${detections.toFixed(1)} detections/s of ${frames.toFixed(0)} fps, ${Math.round(lastInferenceMs)} ms${cameras}, dropped ${dropped}`,
        ),
      );
    }, 1000);

    node.on('input', (msg, _send, done) => {
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
      const frameMsg = msg as FrameMsg;
      const lane = laneFor(cameraIdOf(msg));
      const now = Date.now();
      const at = typeof frameMsg.frame?.capturedAt === 'number' ? frameMsg.frame.capturedAt : now;
      lane.frames.tick();
      lane.framesThisSecond++;
      lane.lastFrameAt = now;
      const pending = lane.sequencer.pending(frameMsg, now);
      const jpeg = msg.payload;
      // The motion verdict, in frame order; without the gate no picture is looked at. Should the
      // analyses fall behind (JPEGs decoded small on a busy machine), frames count as moving rather
      // than queue up behind them.
      const thumbnail = greyOf(frameMsg);
      let verdict: Promise<boolean>;
      if (!motionGate || lane.analysesPending >= MAX_PENDING_ANALYSES) {
        verdict = lane.analysis.then(() => true);
      } else {
        lane.analysesPending++;
        verdict = lane.analysis.then(() => motionOf(lane, thumbnail ?? jpeg, at));
        verdict.finally(() => lane.analysesPending--).catch(() => {});
      }
      lane.analysis = verdict.then(() => undefined);
      verdict
        .then((motion) => {
          const decision = lane.policy.decide(at, motion);
          if (!decision.detect) {
            if (decision.reason === 'no-motion') {
              lane.stats.skippedByMotion++;
              lane.idleFrames++;
            }
            pending.settle({ kind: 'skipped', reason: decision.reason });
            return;
          }
          const go = request ? Promise.resolve(request) : detector.ready.then(() => request);
          return go
            .then((req) => {
              if (!req) throw loadError ?? new Error('the model is not ready');
              // Already gone on without an answer (it waited too long): not worth the model's time.
              if (pending.released || closed) return { kind: 'dropped' as const };
              return lane.client.detect(jpeg, req, decision.urgency);
            })
            .then(
              (outcome) => {
                if (outcome.kind === 'dropped') {
                  // A newer frame of this camera took this one's place while the model was busy.
                  lane.stats.droppedByLoad++;
                  lane.policy.answered(at, null);
                  pending.settle({ kind: 'skipped', reason: 'load' });
                  return;
                }
                const { result } = outcome;
                lane.detections.tick();
                lane.stats.detected++;
                lastInferenceMs = result.timings.inferenceMs;
                lane.policy.answered(at, result.detections.length);
                pending.settle({ kind: 'detected', result });
              },
              (err: Error) => {
                lane.policy.answered(at, null);
                throw err;
              },
            );
        })
        .then(
          () => done(),
          (err: Error) => {
            // The frame still goes on (the tracker predicts it); the error goes to Catch nodes, at
            // most every 10 s (a broken model would otherwise log every frame of every camera).
            pending.settle({ kind: 'skipped', reason: 'error' });
            const failedAt = Date.now();
            if (failedAt - lastErrorAt < ERROR_REPORT_INTERVAL_MS) {
              done();
              return;
            }
            lastErrorAt = failedAt;
            lastErrorText = err.message;
            node.status(Status.error(err.message));
            done(err);
          },
        );
    });

    node.on('close', (done: () => void) => {
      closed = true;
      clearInterval(statusTimer);
      clearInterval(expiry);
      for (const lane of lanes.values()) {
        lane.client.close();
        lane.sequencer.flush('closed');
      }
      lanes.clear();
      modelNode.releaseDetector(detector).finally(() => {
        node.status(Status.clear());
        done();
      });
    });
  }

  /**
   * Whether a frame shows motion. A picture the thumbnail cannot read counts as motion: the model
   * then decides (and reports a bad image as such), rather than the gate hiding it.
   */
  async function motionOf(lane: CameraLane, picture: GreyFrame | Buffer, at: number): Promise<boolean> {
    try {
      const grey = Buffer.isBuffer(picture) ? await greyThumbnail(picture, MOTION_THUMBNAIL) : picture;
      return wantsModel(lane.motion.update(grey, at));
    } catch {
      return true;
    }
  }

  /** The grey picture rtsp-in's ffmpeg made beside the JPEG, when it is there and whole. */
  function greyOf(msg: FrameMsg): GreyFrame | null {
    const t = msg.frame?.thumbnail;
    if (!t || !Buffer.isBuffer(t.grey) || t.grey.length !== t.width * t.height) return null;
    return { data: t.grey, width: t.width, height: t.height };
  }

  RED.nodes.registerType('yolo-detect', YoloDetectNode);
};
