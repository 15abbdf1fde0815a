import path from 'node:path';
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { commandOf, isCommandTopic } from '../lib/control/command';
import type { TrackedFoot } from '../lib/counting/line-counter';
import { safeName } from '../lib/storage/safe-name';
import { dayFolder } from '../lib/time/local-day';
import { cameraIdOf } from './camera-id';
import { Status } from './status';

/** One frame's people, as line-counter and zone-monitor read it from the tracker's (or heatmap's) message. */
export interface FrameTracks {
  cameraId: string;
  width: number;
  height: number;
  /** ms: the frame's capture time (else its arrival). */
  at: number;
  tracks: TrackedFoot[];
}

/** The frame's people, or why the message cannot be counted. */
export function frameTracksOf(msg: NodeMessage): FrameTracks | string {
  const m = msg as NodeMessage & {
    tracks?: unknown;
    frame?: { width?: unknown; height?: unknown; capturedAt?: unknown };
  };
  if (!Array.isArray(m.tracks)) {
    return 'msg.tracks is missing: wire the tracker (or the heatmap after it) to this node';
  }
  const width = Number(m.frame?.width);
  const height = Number(m.frame?.height);
  if (!(width > 0 && height > 0)) {
    return 'msg.frame.width and height are missing: the areas are fractions of the frame (from rtsp-in)';
  }
  const tracks: TrackedFoot[] = [];
  for (const t of m.tracks as Array<{ id?: unknown; footPoint?: unknown }>) {
    const p = t?.footPoint;
    if (
      typeof t?.id === 'number' &&
      Array.isArray(p) &&
      p.length === 2 &&
      p.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      tracks.push({ id: t.id, footPoint: [p[0], p[1]] });
    }
  }
  const at = typeof m.frame?.capturedAt === 'number' ? m.frame.capturedAt : Date.now();
  return { cameraId: cameraIdOf(msg), width, height, at, tracks };
}

/**
 * The start of both counting nodes' input handler: their own commands run (a failure on the status
 * and through done), other nodes' commands on a shared command link pass by, bad input is answered
 * with an error. Returns the frame's people, or null when the message is dealt with.
 */
export function frameOrHandled<C extends string>(
  node: Node,
  msg: NodeMessage,
  done: (err?: Error) => void,
  commands: readonly C[],
  run: (name: C) => void,
): FrameTracks | null {
  const name = commandOf(msg, commands);
  if (name) {
    try {
      run(name);
      done();
    } catch (err) {
      node.status(Status.error((err as Error).message));
      done(err as Error);
    }
    return null;
  }
  // Another node's command (save, viewers, ...) on a shared command link: not for this node.
  if (typeof msg.topic === 'string' && isCommandTopic(msg.topic)) {
    done();
    return null;
  }
  const frame = frameTracksOf(msg);
  if (typeof frame === 'string') {
    node.status(Status.error(frame));
    done(new Error(frame));
    return null;
  }
  return frame;
}

/** The folder a counting node keeps its days in: the setting, else data/counts, under the user directory. */
export function countsDirectory(RED: NodeAPI, setting: string | undefined): string {
  const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
  return path.resolve(userDir, setting?.trim() || path.join('data', 'counts'));
}

/** `<dir>/YYYYMMDD/<camera>.<kind>.<node id>.json`: one file per day, camera and node. */
export function dayFile(
  directory: string,
  at: number,
  cameraId: string,
  kind: string,
  nodeId: string,
): string {
  return path.join(directory, dayFolder(at), `${safeName(cameraId)}.${kind}.${safeName(nodeId)}.json`);
}
