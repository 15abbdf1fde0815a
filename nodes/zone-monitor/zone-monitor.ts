import type { Node, NodeAPI, NodeDef } from 'node-red';
import { camerasOf } from '../lib/control/command';
import { ZoneWatching } from '../lib/counting/zone-watching';
import { ZoneWatchingSettings, zoneWatchingSettings } from '../lib/counting/zone-watching-settings';
import { countingDaysIo, resetStatus, routeCountingInput, statusEverySecond } from '../shared/counting-input';
import { reportConfigError, Status } from '../shared/status';
import type { AlertMessage, ZoneEventMessage, ZonesMessage } from './zone-monitor-types';

/** The editor's `defaults`; every key here is a field of zone-monitor.html. */
interface ZoneMonitorDef extends NodeDef {
  camera: string;
  /** JSON: [{ name, polygon: [[fx, fy], ...], queue? }] in fractions of the frame (or an ${ENV} holding it). */
  zones: string;
  inertiaSeconds: string | number;
  /** JSON: [{ zone, measure, above, forSeconds }]. */
  rules: string;
  directory: string;
}

const COMMANDS = ['reset', 'areas'] as const;
/** Person-seconds change every frame: the day's numbers reach the disk this often. */
const SAVE_DELAY_MS = 10000;

export = function (RED: NodeAPI): void {
  function ZoneMonitorNode(this: Node, config: ZoneMonitorDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    let settings: ZoneWatchingSettings;
    try {
      settings = zoneWatchingSettings(config);
    } catch (err) {
      reportConfigError(node, (err as Error).message);
      return;
    }
    const onlyCamera = (config.camera ?? '').trim();
    const watching = new ZoneWatching(
      settings,
      countingDaysIo(RED, node, {
        directory: config.directory,
        kind: 'zones',
        delayMs: SAVE_DELAY_MS,
        what: 'zone numbers',
      }),
    );
    const showStatus = statusEverySecond(node);
    node.status(
      watching.zoneCount === 0
        ? Status.idle('no zones: open the node and draw one on the camera picture')
        : Status.idle('waiting for tracks'),
    );

    node.on('input', (msg, send, done) =>
      routeCountingInput(node, msg, done, {
        commands: COMMANDS,
        command(name) {
          if (name === 'reset') {
            const ids = watching.reset(camerasOf(msg), Date.now());
            node.status(resetStatus(ids));
            return;
          }
          // New zones from the flow (msg.payload: a list of zones or { zones, size }), and rules with them.
          watching.setZones(msg.payload, (msg as { rules?: unknown }).rules);
          node.status(Status.idle(`${watching.zoneCount} zone(s) set by a message`));
        },
        frame(frame) {
          if ((onlyCamera && frame.cameraId !== onlyCamera) || watching.zoneCount === 0) {
            send([msg, null, null]);
            return;
          }
          const { zones, events, alerts } = watching.watch(frame);
          const out = msg as ZonesMessage;
          out.zones = zones;
          send([out, null, null]);
          for (const payload of events) {
            const event: ZoneEventMessage = { _msgid: RED.util.generateId(), topic: 'zone', payload };
            send([null, event, null]);
          }
          for (const payload of alerts) {
            const alert: AlertMessage = { _msgid: RED.util.generateId(), topic: 'alert', payload };
            if (payload.state === 'raised') {
              const { cameraId, zone, measure, above, forSeconds } = payload;
              node.log(`${cameraId}: ${zone} ${measure} above ${above} for ${forSeconds} s`);
            }
            send([null, null, alert]);
          }
          showStatus(() => {
            const { text, alerting } = watching.statusOf(zones);
            return (alerting ? Status.busy : Status.ok)(text);
          });
        },
      }),
    );

    node.on('close', (done: () => void) => {
      node.status(Status.clear());
      void watching.close().then(() => done());
    });
  }

  RED.nodes.registerType('zone-monitor', ZoneMonitorNode);
};
