import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { CameraSourceOptions, DEFAULT_SOURCE, validateSourceOptions } from '../lib/video/camera-source';
import { CameraFrame, CameraStatus, FfmpegCamera } from '../lib/video/ffmpeg-camera';
import { FfmpegFailure } from '../lib/video/ffmpeg-failure';
import { findFfmpeg } from '../lib/video/ffmpeg-path';
import { grabFirstFrame, localVideoFile } from '../lib/video/frame-grab';
import { redact } from '../lib/video/redact';
import { cameraIdProblem, camerasOf, commandOf, selects } from '../lib/control/command';
import { safeName as fileNameOf } from '../lib/storage/heat-snapshot-store';
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
  // The running camera's latest frame; a file camera not deployed (yet): its first frame (?url=, as
  // the dialog has it); else 404 with what to do. Under the editor's admin authentication.
  RED.httpAdmin.get(FRAME_PATH, RED.auth.needsPermission('rtsp-in.read'), (req, res) => {
    const sendJpeg = (jpeg: Buffer) =>
      res.set({ 'content-type': 'image/jpeg', 'cache-control': 'no-store' }).send(jpeg);
    const latest = latestFrames.get(String(req.params.id));
    if (latest) {
      sendJpeg(latest);
      return;
    }
    const file = localVideoFile(typeof req.query.url === 'string' ? req.query.url : '');
    const ffmpeg = findFfmpeg();
    if (!file || !ffmpeg) {
      res
        .status(404)
        .type('text/plain')
        .send(
          RED.nodes.getNode(String(req.params.id))
            ? 'the camera has sent no picture yet: wait for it to stream, then refresh'
            : "deploy the flow to see this camera's picture (a video file shows before deploying)",
        );
      return;
    }
    grabFirstFrame(ffmpeg.path, file).then(sendJpeg, (err: Error) =>
      res.status(422).type('text/plain').send(err.message),
    );
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

    const camera = new FfmpegCamera({
      source,
      ffmpegPath: ffmpegLocation.path,
      stallTimeoutMs: stallTimeoutS * 1000,
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
