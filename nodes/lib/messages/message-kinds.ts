/**
 * Every kind of message the nodes of this package exchange, by name, and the one place that tells
 * them apart. A node routes its input through `routeMessage` with a handler per kind it takes;
 * nothing else in the package looks at a message's shape to decide what it is.
 *
 * The rule for a shared link (one wire that carries several nodes' commands, as the shipped flows'
 * command links do): a message whose `msg.topic` is a command name (COMMAND_TOPICS) is a command. A
 * node acts on the commands it takes; a command it does not take is another node's, and it lets it pass
 * quietly (done, no output, no error). Any other message a node does not take is an error that says
 * what the node expects.
 *
 * Kinds are decided by topic first, then by shape: a command may carry an HTTP request riding along
 * (a save asked over HTTP), and frames carry their camera id, never a command's name, in msg.topic.
 */

import { commandOf, isCommandTopic } from '../control/command';

/** A message as this module reads it (Node-RED's NodeMessage fits; nodes/lib does not import Node-RED). */
export interface Message {
  topic?: unknown;
  payload?: unknown;
}

/** Topics that name a kind of message (besides the commands). */
export const TOPICS = {
  heatSnapshot: 'heatmap/snapshot',
  heatBackground: 'heatmap/background',
  heatRestoreRequest: 'heatmap/restore-request',
  heatSaved: 'heatmap/saved',
  crossing: 'crossing',
  zone: 'zone',
  alert: 'alert',
  historyQuery: 'history',
  historyReport: 'history/report',
  historyMinutes: 'history/minutes',
  chainReport: 'chain/report',
  chainCsv: 'chain/csv',
} as const;

export type MessageKind =
  /** A command by msg.topic (start, stop, reset, save, ...), for this node or another. */
  | 'command'
  /** heatmap -> heatmap-store / analytics-history: the day's heat maps. */
  | 'heat-snapshot'
  /** heatmap -> heatmap-store / analytics-history: a person-free picture of a camera. */
  | 'heat-background'
  /** heatmap -> heatmap-store: a restarted heatmap asks for today's saved heat. */
  | 'heat-restore-request'
  /** heatmap-store: a save's outcome (an autosave's notice). */
  | 'heat-saved'
  /** line-counter: one crossing of a line. */
  | 'crossing'
  /** zone-monitor: one entry to or exit from a zone. */
  | 'zone-event'
  /** zone-monitor: a threshold rule fired or cleared. */
  | 'alert'
  /** A flow asks analytics-history or head-office for a report (msg.topic names which). */
  | 'query'
  /** analytics-history: the minutes it wrote. */
  | 'history-minutes'
  /** From `http in`: msg.req and msg.res, answered by the node on its HTTP output. */
  | 'http-request'
  /** tracker (and the nodes after it): a frame with the people followed in it (msg.tracks). */
  | 'tracks'
  /**
   * yolo-detect: a frame with the people found in it (msg.detections), or one the model did not see
   * (msg.detectionSkipped: the tracker predicts it).
   */
  | 'detections'
  /** rtsp-in: a camera frame (msg.topic the camera id, msg.payload the JPEG). */
  | 'frame'
  /** Nothing this package sends. */
  | 'unknown';

const BY_TOPIC: Record<string, MessageKind> = {
  [TOPICS.heatSnapshot]: 'heat-snapshot',
  [TOPICS.heatBackground]: 'heat-background',
  [TOPICS.heatRestoreRequest]: 'heat-restore-request',
  [TOPICS.heatSaved]: 'heat-saved',
  [TOPICS.crossing]: 'crossing',
  [TOPICS.zone]: 'zone-event',
  [TOPICS.alert]: 'alert',
  [TOPICS.historyQuery]: 'query',
  [TOPICS.historyReport]: 'query',
  [TOPICS.chainReport]: 'query',
  [TOPICS.chainCsv]: 'query',
  [TOPICS.historyMinutes]: 'history-minutes',
};

/** An HTTP request from `http in`, as the nodes read it. */
export interface HttpRequestMessage extends Message {
  req: { path?: string; query?: Record<string, unknown>; headers?: Record<string, unknown> };
  res: unknown;
}

/** Whether an HTTP request rides along (a command asked over HTTP, to be answered when done). */
export function carriesHttpRequest(msg: Message): msg is HttpRequestMessage {
  const m = msg as Partial<HttpRequestMessage>;
  return typeof m.req === 'object' && m.req !== null && m.res !== undefined && m.res !== null;
}

/** The path of the HTTP request a message carries, or '' when it carries none. */
export function requestPathOf(msg: Message): string {
  return carriesHttpRequest(msg) ? String(msg.req.path ?? '') : '';
}

/** What kind of message this is (see the module's comment for the order). */
export function kindOf(msg: Message): MessageKind {
  // Data topics are written by the nodes, exactly; commands are typed by people (trimmed, any case).
  const topic = typeof msg.topic === 'string' ? msg.topic : '';
  // A camera's frame (and the same frame after the detector, tracker or heatmap) carries its camera id
  // in msg.topic and msg.frame.sourceId: a camera may be named "zone" or "history", which is no kind.
  const source = (msg as { frame?: { sourceId?: unknown } }).frame?.sourceId;
  const cameraFrame = typeof source === 'string' && source === msg.topic;
  if (Object.hasOwn(BY_TOPIC, topic) && !cameraFrame) return BY_TOPIC[topic];
  // The heat topics are commands too (COMMAND_TOPICS keeps cameras from being named like them).
  if (topic.trim() !== '' && isCommandTopic(topic)) return 'command';
  if (carriesHttpRequest(msg)) return 'http-request';
  const m = msg as {
    tracks?: unknown;
    detections?: unknown;
    detectionSkipped?: unknown;
    payload?: unknown;
    frame?: unknown;
  };
  if (Array.isArray(m.tracks)) return 'tracks';
  if (Array.isArray(m.detections) || m.detectionSkipped === true) return 'detections';
  if (Buffer.isBuffer(m.payload)) return 'frame';
  return 'unknown';
}

/** A handler for one kind: it settles the message through `done` itself (at once or later). */
export type KindHandler<M extends Message = Message> = (msg: M) => void;

export type KindHandlers<M extends Message = Message> = Partial<
  Record<Exclude<MessageKind, 'unknown'>, KindHandler<M>>
>;

/** How a node describes its input, for `routeMessage`. */
export interface InputContract {
  /** The node's own words for what it takes, after "expected ": the error for anything else. */
  expects: string;
  /** The commands the node takes (its `command` handler gets only these); others are other nodes'. */
  commands?: readonly string[];
}

/**
 * Hands the message to the handler of its kind. A command the node does not take is another node's
 * on a shared link (see the rule above): `done()` quietly. Anything else without a handler:
 * `done(error)` naming what the node expects.
 */
export function routeMessage<M extends Message>(
  msg: M,
  handlers: KindHandlers<M>,
  done: (err?: Error) => void,
  contract: InputContract,
): void {
  const kind = kindOf(msg);
  if (kind === 'command') {
    const taken = handlers.command && (!contract.commands || commandOf(msg, contract.commands) !== null);
    if (taken) handlers.command!(msg);
    else done();
    return;
  }
  const handler = kind === 'unknown' ? undefined : handlers[kind];
  if (handler) {
    handler(msg);
    return;
  }
  // The heat topics are in COMMAND_TOPICS: on a shared link they are other nodes' too.
  if (typeof msg.topic === 'string' && isCommandTopic(msg.topic)) {
    done();
    return;
  }
  done(new Error(`expected ${contract.expects}`));
}
