import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { CameraSourceOptions, DEFAULT_SOURCE, validateSourceOptions } from '../lib/video/camera-source';
import { CameraFrame, CameraStatus, FfmpegCamera } from '../lib/video/ffmpeg-camera';
import { FfmpegFailure } from '../lib/video/ffmpeg-failure';
import { findFfmpeg } from '../lib/video/ffmpeg-path';
import { MOTION_THUMBNAIL } from '../lib/motion/grey-thumbnail';
import { answerFrame } from '../lib/video/frame-grab';
import { redact } from '../lib/text/redact';
import { cameraIdProblem, camerasOf, commandOf, selects } from '../lib/control/command';
import { knownCameras } from '../lib/control/known-cameras';
import { safeName as fileNameOf } from '../lib/storage/safe-name';
import { numberSetting } from '../shared/config';
import { Status } from '../shared/status';
import type { FrameMessage, RtspInCredentials, RtspInDef } from './rtsp-in-types';

const COMMANDS = ['start', 'stop', 'restart'] as const;

/**
 * Camera ids in use by the running rtsp-in nodes, as the file names their saved days get (node id per
 * name): each camera has its own, and two ids that differ only where a file name cannot (front door,
 * front_door) would share a saved day.
 */
const camerasInUse = new Map<string, string>();

/** The latest picture of each running rtsp-in node (by node id), for the counting nodes' dialogs. */
const latestFrames = new Map<string, Buffer>();

/** GET <admin>/store-analytics/frame/:id: what the edit dialogs draw lines and zones on. */
const FRAME_PATH = '/store-analytics/frame/:id';

export = function (RED: NodeAPI): void {
  // The picture the line-counter and zone-monitor dialogs draw on (see answerFrame), under the
  // editor's admin authentication: never cached, as it is the camera now.
  RED.httpAdmin.get(FRAME_PATH, RED.auth.needsPermission('rtsp-in.read'), (req, res) => {
    const id = String(req.params.id);
    const deployed = RED.nodes.getNode(id) as (Node & { type: string }) | null;
    void answerFrame({
      id,
      url: req.query.url,
      latest: latestFrames.get(id),
      deployedType: deployed ? deployed.type : null,
      ffmpegPath: findFfmpeg()?.path ?? null,
    }).then((answer) => {
      res.set('cache-control', 'no-store');
      if ('jpeg' in answer) res.type('image/jpeg').send(answer.jpeg);
      else res.status(answer.status).type('text/plain').send(answer.text);
    });
  });

  function RtspInNode(this: Node<RtspInCredentials>, config: RtspInDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const credentials = node.credentials ?? {};
    const sourceId = (config.cameraId || config.name || node.id).trim();
    const source: CameraSourceOptions = {
      url: (config.url ?? '').trim(),
      user: credentials.user || undefined,
      password: credentials.password || undefined,
      transport: config.transport || DEFAULT_SOURCE.transport,
      loop: typeof config.loop === 'boolean' ? config.loop : DEFAULT_SOURCE.loop,
      realtime: typeof config.realtime === 'boolean' ? config.realtime : DEFAULT_SOURCE.realtime,
      fps: numberSetting(config.fps, DEFAULT_SOURCE.fps),
      width: numberSetting(config.width, DEFAULT_SOURCE.width),
      height: numberSetting(config.height, DEFAULT_SOURCE.height),
      jpegQuality: numberSetting(config.quality, DEFAULT_SOURCE.jpegQuality),
    };
    const secrets = [source.password];
    const stallTimeoutS = numberSetting(config.stallTimeout, 10);

    const ffmpegLocation = findFfmpeg();
    const problem =
      validateSourceOptions(source) ??
      (Number.isFinite(stallTimeoutS) && stallTimeoutS >= 2 ? null : 'stall timeout must be at least 2 s') ??
      cameraIdProblem(sourceId) ??
      (camerasInUse.has(fileNameOf(sourceId))
        ? `camera id "${sourceId}" is used by another rtsp-in node (or one that differs only in characters a file name cannot hold): give each camera its own id`
        : null) ??
      (ffmpegLocation
        ? null
        : 'ffmpeg not found: install ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH');
    if (problem || !ffmpegLocation) {
      // The camera id leads the status, as in every status of this node (a status node tells cameras apart by it).
      node.status(Status.error(`${sourceId}: ${problem}`));
      node.error(problem);
      return;
    }
    // Frames, heat, feeds and saved days are all keyed by this id: two cameras under one would mix.
    // Held until close (registered below, once nothing can fail any more).
    camerasInUse.set(fileNameOf(sourceId), node.id);
    // The feeds serve this camera's path from now on, before its first frame (see mjpeg-out).
    knownCameras.add(sourceId, node.id);

    const camera = new FfmpegCamera({
      source,
      ffmpegPath: ffmpegLocation.path,
      stallTimeoutMs: stallTimeoutS * 1000,
      thumbnail: MOTION_THUMBNAIL,
    });
    // Kinds of failure already logged since the camera last sent a picture.
    const reported = new Set<FfmpegFailure['code']>();

    camera.on('frame', (frame: CameraFrame) => {
      reported.clear();
      latestFrames.set(node.id, frame.jpeg);
      const msg: FrameMessage = {
        _msgid: RED.util.generateId(),
        topic: sourceId,
        payload: frame.jpeg,
        frame: {
          sourceId,
          seq: frame.seq,
          capturedAt: frame.capturedAt,
          width: frame.width,
          height: frame.height,
          format: 'jpeg',
          ...(frame.thumbnail ? { thumbnail: { ...MOTION_THUMBNAIL, grey: frame.thumbnail } } : {}),
        },
      };
      node.send(msg);
    });

    // The camera id leads the status text, so a status node can tell the cameras apart.
    camera.on('status', (status: CameraStatus) => node.status(statusFor(sourceId, status)));

    camera.on('failure', (failure: FfmpegFailure) => {
      // Report each kind of failure once while the camera stays down, not at every retry: a camera
      // sending garbage fails in turn as "not a video" and "no picture in time", which would otherwise
      // log at every attempt.
      if (reported.has(failure.code)) return;
      reported.add(failure.code);
      node.error(`${sourceId}: ${failure.message}`, {
        topic: sourceId,
        payload: { code: failure.code, message: failure.message },
      } as NodeMessage);
    });

    node.log(`camera ${sourceId}: ${redact(source.url, secrets)} via ffmpeg from ${ffmpegLocation.origin}`);

    node.on('input', (msg, _send, done) => {
      const command = commandOf(msg, COMMANDS);
      if (!command) {
        done(new Error(`unknown command: send msg.topic "start", "stop" or "restart"`));
        return;
      }
      let named: boolean;
      try {
        named = selects(camerasOf(msg), sourceId);
      } catch (err) {
        done(err as Error);
        return;
      }
      if (!named) {
        done(); // a command for other cameras
        return;
      }
      const action =
        command === 'start'
          ? Promise.resolve(camera.start())
          : command === 'stop'
            ? camera.stop()
            : camera.restart();
      action.then(
        () => done(),
        (err: Error) => done(err),
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      camerasInUse.delete(fileNameOf(sourceId));
      knownCameras.removeOwner(node.id);
      latestFrames.delete(node.id);
      camera.removeAllListeners('frame');
      camera.stop().finally(() => {
        node.status(Status.clear());
        done();
      });
    });

    if (config.autoStart !== false) camera.start();
    else node.status(Status.idle(`${sourceId}: stopped`));
  }

  RED.nodes.registerType<Node<RtspInCredentials>, RtspInDef, unknown, RtspInCredentials>(
    'rtsp-in',
    RtspInNode,
    {
      credentials: {
        user: { type: 'text' },
        password: { type: 'password' },
      },
    },
  );
};

function statusFor(cameraId: string, status: CameraStatus) {
  switch (status.state) {
    case 'stopped':
      return Status.idle(`${cameraId}: stopped`);
    case 'connecting':
      return Status.connecting(`${cameraId}: connecting`);
    case 'streaming':
      return Status.ok(`${cameraId}: streaming ${status.fps.toFixed(1)} fps`);
    case 'reconnecting':
      return Status.error(
        `${cameraId}: ${status.failure.message} - reconnecting in ${Math.ceil(status.retryInMs / 1000)} s`,
      );
    case 'ended':
      return Status.idle(`${cameraId}: end of video`);
  }
}
