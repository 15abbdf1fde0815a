/**
 * Commands between the nodes of this package travel by `msg.topic` (Node-RED's convention), never
 * guessed from the shape of a message, and name the cameras they act on in `msg.cameras`.
 */

/** The part of a message a command is read from. */
export interface CommandMessage {
  topic?: unknown;
  /** A camera id, a comma-separated list, or an array of ids; absent, '' or '*': every camera. */
  cameras?: unknown;
}

/** The command `msg.topic` names among `commands` (trimmed, lower-cased), or null. */
export function commandOf<T extends string>(msg: CommandMessage, commands: readonly T[]): T | null {
  if (typeof msg.topic !== 'string') return null;
  const command = msg.topic.trim().toLowerCase();
  return (commands as readonly string[]).includes(command) ? (command as T) : null;
}

/** Every camera, or the ones named. */
export type CameraSelection = { all: true } | { all: false; ids: string[] };

/**
 * The cameras a command names in `msg.cameras`. Throws when the property is there but is neither
 * a string nor an array of strings, so a typo in a flow is reported instead of acting on all.
 */
export function camerasOf(msg: CommandMessage): CameraSelection {
  const value = msg.cameras;
  if (value === undefined || value === null) return { all: true };
  const list =
    typeof value === 'string'
      ? value.split(',')
      : Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? (value as string[])
        : null;
  if (!list) throw new Error('msg.cameras must be a camera id, a comma-separated list or an array of ids');
  const ids = [...new Set(list.map((id) => id.trim()).filter((id) => id !== ''))];
  return ids.length === 0 || ids.includes('*') ? { all: true } : { all: false, ids };
}

/** Whether the selection includes `cameraId`. */
export function selects(selection: CameraSelection, cameraId: string): boolean {
  return selection.all || selection.ids.includes(cameraId);
}

/** The cameras among `known` that the selection names, in the order of `known`. */
export function selected(selection: CameraSelection, known: Iterable<string>): string[] {
  return [...known].filter((id) => selects(selection, id));
}

/**
 * Every msg.topic a node of this package takes as a command. Frames carry their camera id in
 * msg.topic, so no camera may be named like one of these.
 */
export const COMMAND_TOPICS = [
  'start',
  'stop',
  'restart',
  'reset',
  'save',
  'snapshot',
  'restore',
  'viewers',
  'heatmap/snapshot',
  'heatmap/restore-request',
  'areas',
] as const;

export function isCommandTopic(topic: string): boolean {
  return (COMMAND_TOPICS as readonly string[]).includes(topic.trim().toLowerCase());
}

/**
 * Why a camera id cannot be used, or null. The id travels in msg.topic (so not a command's name), in
 * msg.cameras lists (so no ',' and not '*') and in feed paths and file names (so no '/', '?', '#', '%'
 * and no control characters).
 */
export function cameraIdProblem(id: string): string | null {
  if (id.trim() === '') return 'the camera needs an id';
  if (isCommandTopic(id))
    return `camera id "${id}" is the name of a command: choose another (such as camera-2)`;
  // eslint-disable-next-line no-control-regex
  if (/[,*/?#%\u0000-\u001f]/.test(id)) {
    return `camera id "${id}" holds a character it cannot (, * / ? # %): use letters, digits, - and _`;
  }
  return null;
}
