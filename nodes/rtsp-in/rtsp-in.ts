import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { knownCameras } from '../lib/control/known-cameras';
import { routeMessage } from '../lib/messages/message-kinds';
import { MOTION_THUMBNAIL } from '../lib/motion/grey-thumbnail';
import { redact } from '../lib/text/redact';
import { CAMERA_COMMANDS, runCameraCommand } from '../lib/video/camera-command';
import { cameraSettingsOf } from '../lib/video/camera-settings';
import { cameraStatusText } from '../lib/video/camera-status';
import { CameraFrame, FfmpegCamera } from '../lib/video/ffmpeg-camera';
import { FfmpegFailure } from '../lib/video/ffmpeg-failure';
import { findFfmpeg } from '../lib/video/ffmpeg-path';
import { cameraFrameMessage } from '../lib/video/frame-message';
import { answerFrame } from '../lib/video/frame-grab';
import { RunningCameras } from '../lib/video/running-cameras';
import { Status } from '../shared/status';
import type { FrameMessage, RtspInCredentials, RtspInDef } from './rtsp-in-types';

const INPUT = {
  expects: 'a command: msg.topic "start", "stop" or "restart" (unknown command)',
  commands: CAMERA_COMMANDS,
};

/** The camera ids the running rtsp-in nodes hold and their latest pictures. */
const running = new RunningCameras();

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
      latest: running.latestFrame(id),
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
    const { settings, problem: settingsProblem } = cameraSettingsOf(config, node.id, node.credentials ?? {});
    const { sourceId, source } = settings;
    const ffmpegLocation = findFfmpeg();
    const problem =
      settingsProblem ??
      running.inUseProblem(sourceId) ??
      (ffmpegLocation
        ? null
        : 'ffmpeg not found: install ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH');
    if (problem || !ffmpegLocation) {
      // The camera id leads the status, as in every status of this node (a status node tells cameras apart by it).
      node.status(Status.error(`${sourceId}: ${problem}`));
      node.error(problem);
      return;
    }
    // Held until close (registered below, once nothing can fail any more).
    running.claim(sourceId, node.id);
    // The feeds serve this camera's path from now on, before its first frame (see mjpeg-out).
    knownCameras.add(sourceId, node.id);

    const camera = new FfmpegCamera({
      source,
      ffmpegPath: ffmpegLocation.path,
      stallTimeoutMs: settings.stallTimeoutMs,
      thumbnail: MOTION_THUMBNAIL,
    });
    // Kinds of failure already logged since the camera last sent a picture.
    const reported = new Set<FfmpegFailure['code']>();

    camera.on('frame', (frame: CameraFrame) => {
      reported.clear();
      running.setLatestFrame(node.id, frame.jpeg);
      const msg: FrameMessage = {
        _msgid: RED.util.generateId(),
        ...cameraFrameMessage(sourceId, frame, MOTION_THUMBNAIL),
      };
      node.send(msg);
    });
    camera.on('status', (status) => {
      const { state, text } = cameraStatusText(sourceId, status);
      node.status(Status[state](text));
    });
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

    node.log(
      `camera ${sourceId}: ${redact(source.url, [source.password])} via ffmpeg from ${ffmpegLocation.origin}`,
    );

    node.on('input', (msg, _send, done) => {
      const command = (m: NodeMessage) => runCameraCommand(camera, sourceId, m).then(() => done(), done);
      routeMessage(msg, { command }, done, INPUT);
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      running.release(sourceId, node.id);
      knownCameras.removeOwner(node.id);
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
      credentials: { user: { type: 'text' }, password: { type: 'password' } },
    },
  );
};
