import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { camerasOf, commandOf } from '../lib/control/command';
import { visitorsStatusText } from '../lib/control/count-labels';
import { knownCameras } from '../lib/control/known-cameras';
import { backgroundMessage, restoreRequestMessage, snapshotMessages } from '../lib/heatmap/heat-messages';
import {
  HEATMAP_COMMANDS,
  HeatmapController,
  type TrackedFrameMessage,
} from '../lib/heatmap/heatmap-controller';
import { type HeatmapFields, parseHeatmapSettings } from '../lib/heatmap/heatmap-settings';
import { routeMessage } from '../lib/messages/message-kinds';
import { cameraIdOf } from '../shared/camera-id';
import { answerHttpInBodyErrors } from '../shared/http-body-errors';
import { reportConfigError, Status } from '../shared/status';
import type { HeatmapMessage } from './heatmap-types';

/** The editor's `defaults`; every key here is a field of heatmap.html. */
type HeatmapDef = NodeDef & HeatmapFields;

const INPUT = {
  expects:
    'a frame with msg.tracks (msg.tracks is missing: wire the tracker to the heatmap), or a command in ' +
    `msg.topic (${HEATMAP_COMMANDS.join(', ')})`,
  commands: HEATMAP_COMMANDS,
};

/**
 * Outputs: 1 the frames with msg.heatmap and msg.store, 2 the overlay frames, 3 to heatmap-store
 * (snapshots, backgrounds, restore requests; a save's snapshots with the message that asked), 4 to
 * analytics-history (snapshots and backgrounds only).
 */
export = function (RED: NodeAPI): void {
  function HeatmapNode(this: Node, config: HeatmapDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings = parseHeatmapSettings(config);
    if ('error' in settings) {
      reportConfigError(node, settings.error);
      return;
    }
    // The controller's messages are plain objects (nodes/lib does not know Node-RED's types).
    const sendOn = (outputs: Array<object | null>) => node.send(outputs as NodeMessage[]);
    const heat = new HeatmapController(settings, {
      snapshots(snapshots, reason, request) {
        const { store, history } = snapshotMessages(snapshots, reason, request);
        if (store || history) sendOn([null, null, store, history]);
      },
      background: (picture) => sendOn([null, null, backgroundMessage(picture), backgroundMessage(picture)]),
      overlay: (cameraId, jpeg, frame) =>
        sendOn([null, { topic: cameraId, payload: jpeg, frame: { ...frame, overlay: true } }, null, null]),
      log: (text) => node.log(text),
      warn: (text) => node.warn(text),
      error: (text, cause) => node.error(text, cause as NodeMessage | undefined),
    });
    let lastStatusAt = 0;
    node.status(Status.idle('waiting for tracks'));

    // Changed maps go to the store every few seconds, so a redeploy loses at most that much heat.
    const snapshotTimer =
      settings.snapshotSeconds > 0
        ? setInterval(() => heat.tick(Date.now()), settings.snapshotSeconds * 1000)
        : null;

    function frame(msg: NodeMessage & TrackedFrameMessage, send: (m: NodeMessage[]) => void): void {
      const cameraId = cameraIdOf(msg);
      // Its overlay feed is served from now on, whatever node the camera's frames come from.
      knownCameras.add(cameraId, node.id);
      const now = Date.now();
      const out = Object.assign(msg, heat.frame(msg, cameraId, now)) as HeatmapMessage;
      if (now - lastStatusAt >= 1000) {
        lastStatusAt = now;
        // The day's visitors, since the day's start: the tracker's status counts IDs since its own start.
        node.status(Status.ok(visitorsStatusText(Object.values(out.store.cameras), now)));
      }
      send([out, null, null, null] as NodeMessage[]);
    }

    node.on('input', (msg, send, done) => {
      const attempt = (act: () => void) => {
        try {
          act();
          done();
        } catch (err) {
          done(err as Error);
        }
      };
      routeMessage(
        msg,
        {
          command: (m) =>
            attempt(() => {
              const status = heat.command(commandOf(m, HEATMAP_COMMANDS)!, m, camerasOf(m), Date.now());
              if (status) node.status(Status.idle(status));
            }),
          tracks: (m) => attempt(() => frame(m as NodeMessage & TrackedFrameMessage, send)),
        },
        done,
        INPUT,
      );
    });

    // Once the flows run, ask heatmap-store for today's heat: a "modified nodes" deploy restarts this
    // node alone, and the store (which sends it by itself only when it starts) would otherwise let this
    // empty day replace the saved one. At a full deploy it comes twice; a day is not added twice.
    const askForRestore = () => sendOn([null, null, restoreRequestMessage(), null]);
    RED.events.once('flows:started', askForRestore);

    node.on('close', (done: () => void) => {
      RED.events.removeListener('flows:started', askForRestore);
      knownCameras.removeOwner(node.id);
      if (snapshotTimer) clearInterval(snapshotTimer);
      heat.close();
      node.status(Status.clear());
      done();
    });
  }

  // The store's endpoints (http in nodes) answer a body too large with 413, not 500.
  answerHttpInBodyErrors(RED);
  RED.nodes.registerType('heatmap', HeatmapNode);
};
