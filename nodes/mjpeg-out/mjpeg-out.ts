import type { Request, Response } from 'express';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { knownCameras } from '../lib/control/known-cameras';
import { CameraStreams } from '../lib/http/camera-streams';
import { isJpeg } from '../lib/image/jpeg-splitter';
import { routeMessage } from '../lib/messages/message-kinds';
import { feedStatusText } from '../lib/video/feed-status';
import { cameraIdOf } from '../shared/camera-id';
import { numberSetting } from '../shared/config';
import { reportConfigError, Status } from '../shared/status';
import { answerHttpInBodyErrors } from '../shared/http-body-errors';
import { mountRoute, normaliseRoutePath, unmountRoute } from '../shared/http-route';

/** The editor's `defaults`; every key here is a field of mjpeg-out.html. */
interface MjpegOutDef extends NodeDef {
  path: string;
  maxClients: string | number;
  /** The camera the bare path shows; blank: the first camera whose frame arrives. */
  camera: string;
  /**
   * Send the viewer counts on output 2. Missing in flows saved before it existed: on, as those flows
   * had it with nothing wired to output 1 (the shipped flows among them).
   */
  viewerCounts?: boolean;
}

const INPUT = {
  expects:
    'JPEG frames (msg.payload is not a JPEG image: connect a node that sends JPEG frames, such as rtsp-in)',
};

export = function (RED: NodeAPI): void {
  function MjpegOutNode(this: Node, config: MjpegOutDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const routePath = normaliseRoutePath(config.path);
    const maxClients = numberSetting(config.maxClients, 0);

    if (!routePath) {
      reportConfigError(node, 'path must start with / and use only letters, digits and - _ . ~ /');
      return;
    }
    if (!Number.isInteger(maxClients) || maxClients < 0) {
      reportConfigError(node, 'viewer limit must be a whole number (0 for no limit)');
      return;
    }
    if (!RED.httpNode) {
      reportConfigError(node, "Node-RED's HTTP server for nodes is disabled (httpNodeRoot is false)");
      return;
    }
    const cameraRoute = `${routePath.replace(/\/$/, '')}/:camera`;
    // Off where the frames are used whether anyone watches or not (output 1 wired on to more).
    const viewerCounts = config.viewerCounts !== false;
    let framesReceived = 0;

    const showStatus = () => {
      const feed = { path: routePath, cameras: streams.cameras().length, viewers: streams.viewerCount() };
      const { state, text } = feedStatusText({ ...feed, framesReceived });
      node.status(Status[state](text));
    };
    const streams = new CameraStreams({
      maxClients,
      defaultCamera: config.camera?.trim() || null,
      isCameraKnown: (id) => knownCameras.has(id),
      onViewersChanged: (cameraId, count) => {
        showStatus();
        // The second output tells the overlay's maker how many watch each camera (0: stop drawing).
        // msg.feed: several feeds may show one camera; the heatmap weighs what each says.
        if (viewerCounts && cameraId !== null) {
          node.send([null, { topic: 'viewers', cameras: [cameraId], feed: node.id, payload: count }]);
        }
      },
    });

    const serve = (cameraId: string | null) => (req: Request, res: Response) => {
      if (!streams.addViewer(cameraId, res)) {
        res.status(503).type('text/plain').send(`This stream allows ${maxClients} viewer(s) at a time.`);
        return;
      }
      req.socket.setNoDelay(true);
    };
    const bareHandler = serve(null);
    const cameraHandler = (req: Request, res: Response) => {
      const cameraId = String(req.params.camera);
      if (!streams.knows(cameraId)) {
        // No such camera: answered at once (as a reset of an unknown camera is), not held open for ever.
        const cameras = [...new Set([...streams.cameras(), ...knownCameras.list()])].sort();
        res
          .status(404)
          .type('text/plain')
          .send(`no camera ${cameraId} (cameras: ${cameras.join(', ') || 'none yet'})\n`);
        return;
      }
      serve(cameraId)(req, res);
    };
    if (!mountRoute(RED.httpNode, routePath, bareHandler)) {
      reportConfigError(node, `another node already serves ${routePath}`);
      return;
    }
    if (!mountRoute(RED.httpNode, cameraRoute, cameraHandler)) {
      unmountRoute(RED.httpNode, routePath, bareHandler);
      reportConfigError(node, `another node already serves ${cameraRoute}`);
      return;
    }
    showStatus();

    const publish = (msg: NodeMessage, send: (msgs: Array<NodeMessage | null>) => void, done: () => void) => {
      const cameraId = cameraIdOf(msg);
      const isNewCamera = !streams.cameras().includes(cameraId);
      streams.publish(cameraId, msg.payload as Buffer);
      if (framesReceived++ === 0 || isNewCamera) showStatus();
      send([msg, null]);
      done();
    };
    node.on('input', (msg, send, done) => {
      // Camera frames, and the same frames on after the detector, tracker or heatmap.
      const frame = (m: NodeMessage) =>
        isJpeg(m.payload) ? publish(m, send, done) : done(new Error(`expected ${INPUT.expects}`));
      routeMessage(msg, { frame, detections: frame, tracks: frame }, done, INPUT);
    });

    node.on('close', (done: () => void) => {
      unmountRoute(RED.httpNode, routePath, bareHandler);
      unmountRoute(RED.httpNode, cameraRoute, cameraHandler);
      streams.closeAll();
      node.status(Status.clear());
      done();
    });
  }

  // The store's endpoints (http in nodes) answer a body too large with 413, not 500.
  answerHttpInBodyErrors(RED);
  RED.nodes.registerType('mjpeg-out', MjpegOutNode);
};
