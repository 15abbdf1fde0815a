import path from 'node:path';
import type { Node, NodeAPI, NodeMessage, NodeStatus } from 'node-red';
import { commandOf } from '../lib/control/command';
import type { DaysIo } from '../lib/counting/camera-days';
import { dayFiles } from '../lib/counting/day-file';
import { FrameTracks, frameTracksOf, TracksMessage } from '../lib/counting/frame-tracks';
import { routeMessage } from '../lib/messages/message-kinds';
import { cameraIdOf } from './camera-id';
import { Status } from './status';

/** What a counting node takes besides its commands, in the error for anything else ("expected ..."). */
const EXPECTS =
  "a tracker's frame (msg.tracks is missing: wire the tracker, or the heatmap after it, to this node)";

/** A counting node's input (line-counter, zone-monitor): its commands and the frames of people it counts. */
export interface CountingInput<C extends string> {
  commands: readonly C[];
  /** One of the node's commands; what it throws is shown on the status and passed to done. */
  command(name: C, msg: NodeMessage): void;
  /** A frame of people: the node sends what it has to, done follows. */
  frame(frame: FrameTracks, msg: NodeMessage): void;
}

/**
 * Routes a counting node's input by message-kinds' rule (other nodes' commands on a shared command
 * link pass quietly); what cannot be counted is an error, on the node's status too.
 */
export function routeCountingInput<C extends string>(
  node: Node,
  msg: NodeMessage,
  done: (err?: Error) => void,
  input: CountingInput<C>,
): void {
  const fail = (err: Error) => {
    node.status(Status.error(err.message));
    done(err);
  };
  const handlers = {
    command: (m: NodeMessage) => {
      try {
        input.command(commandOf(m, input.commands)!, m);
        done();
      } catch (err) {
        fail(err as Error);
      }
    },
    tracks: (m: NodeMessage) => {
      const frame = frameTracksOf(m as NodeMessage & TracksMessage, cameraIdOf(m), Date.now());
      if (typeof frame === 'string') return fail(new Error(frame));
      input.frame(frame, m);
      done();
    },
  };
  routeMessage(msg, handlers, (err) => (err ? fail(err) : done()), {
    expects: EXPECTS,
    commands: input.commands,
  });
}

/** The folder a counting node keeps its days in: the setting, else data/counts, under the user directory. */
export function countsDirectory(RED: NodeAPI, setting: string | undefined): string {
  const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
  return path.resolve(userDir, setting?.trim() || path.join('data', 'counts'));
}

/** How a counting node keeps its days: the files' folder (its setting), their kind and delay, its words. */
export interface CountingDaysSettings {
  directory: string | undefined;
  /** "footfall", "zones": the file name's middle part. */
  kind: string;
  /** A change reaches the disk this soon (a SIGKILL loses at most this much). */
  delayMs: number;
  /** What the files hold, in the error of a failed write ("counts", "zone numbers"). */
  what: string;
}

/** The files and log of a counting node's days, for its controller (LineCounting, ZoneWatching). */
export function countingDaysIo(RED: NodeAPI, node: Node, settings: CountingDaysSettings): DaysIo {
  const { kind, delayMs, what } = settings;
  const fileOf = dayFiles({
    directory: countsDirectory(RED, settings.directory),
    kind,
    nodeId: node.id,
    delayMs,
    onError: (err) => {
      node.error(`could not save the ${what}: ${err.message} (kept in memory, retrying)`);
      node.status(Status.error(`cannot save the ${what}, see the log`));
    },
  });
  return { fileOf, log: (text) => node.log(text), error: (text) => node.error(text) };
}

/** The `reset` command's status: the cameras it emptied. */
export function resetStatus(ids: readonly string[]): NodeStatus {
  return Status.idle(`reset ${ids.length ? ids.join(', ') : '(nothing counted yet)'}`);
}

/** Sets the node's status at most once a second (it changes every frame). */
export function statusEverySecond(node: Node): (status: () => NodeStatus) => void {
  let lastAt = 0;
  return (status) => {
    const now = Date.now();
    if (now - lastAt < 1000) return;
    lastAt = now;
    node.status(status());
  };
}
