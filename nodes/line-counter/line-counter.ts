import type { Node, NodeAPI, NodeDef } from 'node-red';
import { camerasOf } from '../lib/control/command';
import { LineCounting } from '../lib/counting/line-counting';
import { LineCountingSettings, lineCountingSettings } from '../lib/counting/line-counting-settings';
import { countingDaysIo, resetStatus, routeCountingInput, statusEverySecond } from '../shared/counting-input';
import { reportConfigError, Status } from '../shared/status';
import type { CrossingMessage, FootfallMessage } from './line-counter-types';

/** The editor's `defaults`; every key here is a field of line-counter.html. */
interface LineCounterDef extends NodeDef {
  camera: string;
  /** JSON: [{ name, from: [fx, fy], to: [fx, fy] }] in fractions of the frame (or an ${ENV} holding it). */
  lines: string;
  bandPx: string | number;
  minSideSeconds: string | number;
  occupancy: boolean;
  occupancyResetHour: string | number;
  directory: string;
}

const COMMANDS = ['reset', 'areas'] as const;
/** A crossing reaches the disk this soon (a SIGKILL loses at most this much). */
const SAVE_DELAY_MS = 2000;

export = function (RED: NodeAPI): void {
  function LineCounterNode(this: Node, config: LineCounterDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    let settings: LineCountingSettings;
    try {
      settings = lineCountingSettings(config);
    } catch (err) {
      reportConfigError(node, (err as Error).message);
      return;
    }
    const onlyCamera = (config.camera ?? '').trim();
    const counting = new LineCounting(
      settings,
      countingDaysIo(RED, node, {
        directory: config.directory,
        kind: 'footfall',
        delayMs: SAVE_DELAY_MS,
        what: 'counts',
      }),
    );
    const showStatus = statusEverySecond(node);
    node.status(
      counting.lineCount === 0
        ? Status.idle('no lines: open the node and draw one on the camera picture')
        : Status.idle('waiting for tracks'),
    );

    node.on('input', (msg, send, done) =>
      routeCountingInput(node, msg, done, {
        commands: COMMANDS,
        command(name) {
          if (name === 'reset') {
            const ids = counting.reset(camerasOf(msg), Date.now());
            node.status(resetStatus(ids));
            return;
          }
          // New lines from the flow (msg.payload: a list of lines or { lines, size }); counts of lines kept stay.
          counting.setLines(msg.payload);
          node.status(Status.idle(`${counting.lineCount} line(s) set by a message`));
        },
        frame(frame) {
          // Another camera's frame: this node counts one door; the message goes on untouched.
          if ((onlyCamera && frame.cameraId !== onlyCamera) || counting.lineCount === 0) {
            send([msg, null]);
            return;
          }
          const { footfall, crossings } = counting.count(frame);
          const out = msg as FootfallMessage;
          out.footfall = footfall;
          send([out, null]);
          for (const payload of crossings) {
            const crossing: CrossingMessage = {
              _msgid: RED.util.generateId(),
              topic: 'crossing',
              payload,
              frame: (msg as { frame?: unknown }).frame,
            };
            send([null, crossing]);
          }
          showStatus(() => Status.ok(counting.statusText()));
        },
      }),
    );

    node.on('close', (done: () => void) => {
      node.status(Status.clear());
      void counting.close().then(() => done());
    });
  }

  RED.nodes.registerType('line-counter', LineCounterNode);
};
