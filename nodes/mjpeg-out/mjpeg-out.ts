import type { Request, Response } from 'express';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { isJpeg } from '../lib/image/jpeg-splitter';
import { MjpegBroadcaster } from '../lib/http/mjpeg-broadcaster';
import { numberSetting } from '../shared/config';
import { declareFrameDemand } from '../shared/frame-demand';
import { reportConfigError, Status } from '../shared/status';
import { mountRoute, normaliseRoutePath, unmountRoute } from '../shared/http-route';

/** The editor's `defaults`; every key here is a field of mjpeg-out.html. */
interface MjpegOutDef extends NodeDef {
  path: string;
  maxClients: string | number;
}

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

    let framesReceived = 0;
    const showViewers = (count: number) =>
      node.status(
        framesReceived === 0
          ? Status.connecting(`${routePath}: waiting for frames, ${count} viewer(s)`)
          : count > 0
            ? Status.ok(`${routePath}: ${count} viewer(s)`)
            : Status.idle(`${routePath}: no viewers`),
      );
    const broadcaster = new MjpegBroadcaster({ maxClients, onClientsChanged: showViewers });

    const handler = (req: Request, res: Response) => {
      if (!broadcaster.addClient(res)) {
        res.status(503).type('text/plain').send(`This stream allows ${maxClients} viewer(s) at a time.`);
        return;
      }
      req.socket.setNoDelay(true);
    };
    const mounted = mountRoute(RED.httpNode, routePath, handler);
    if (!mounted) {
      reportConfigError(node, `another node already serves ${routePath}`);
      return;
    }
    showViewers(0);
    // Upstream nodes (the heatmap's overlay) skip frames while nobody watches and nothing is wired on.
    const wiredOn = ((config as NodeDef & { wires?: string[][] }).wires ?? []).some(
      (port) => port.length > 0,
    );
    declareFrameDemand(node, () => wiredOn || broadcaster.clientCount > 0);

    node.on('input', (msg, send, done) => {
      if (!isJpeg(msg.payload)) {
        done(
          new Error(
            'msg.payload is not a JPEG image: connect a node that sends JPEG frames, such as rtsp-in',
          ),
        );
        return;
      }
      if (framesReceived++ === 0) showViewers(broadcaster.clientCount);
      broadcaster.publish(msg.payload);
      send(msg);
      done();
    });

    node.on('close', (done: () => void) => {
      unmountRoute(RED.httpNode, routePath, handler);
      broadcaster.closeAll();
      node.status(Status.clear());
      done();
    });
  }

  RED.nodes.registerType('mjpeg-out', MjpegOutNode);
};
