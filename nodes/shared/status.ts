import type { Node, NodeStatus } from 'node-red';

/**
 * The status vocabulary every node of this package uses, after Node-RED's core nodes: yellow ring
 * while connecting or waiting, green dot when working, blue dot when busy, red ring on error,
 * grey ring when idle or stopped.
 */
export const Status = {
  connecting: (text: string): NodeStatus => ({ fill: 'yellow', shape: 'ring', text }),
  ok: (text: string): NodeStatus => ({ fill: 'green', shape: 'dot', text }),
  busy: (text: string): NodeStatus => ({ fill: 'blue', shape: 'dot', text }),
  error: (text: string): NodeStatus => ({ fill: 'red', shape: 'ring', text }),
  idle: (text: string): NodeStatus => ({ fill: 'grey', shape: 'ring', text }),
  clear: (): NodeStatus => ({}),
};

/** Shows a configuration problem on the node and in the log, without throwing from a constructor. */
export function reportConfigError(node: Node, text: string): void {
  node.status(Status.error(text));
  node.error(text);
}
