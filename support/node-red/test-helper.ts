import helper from 'node-red-node-test-helper';
import type { NodeStatus } from 'node-red';

helper.init(require.resolve('node-red'));

export { helper };

export interface LoadedNode {
  receive(msg: object): void;
  on(event: string, cb: (arg: never) => void): void;
}

export interface LogEntry {
  level: number;
  msg: unknown;
}

const ERROR_LEVEL = 20;

/** Every error the nodes logged (node.error / done(err)) since the flow was loaded. */
export function loggedErrors(): string[] {
  return helper
    .log()
    .args.map((a: unknown[]) => a[0] as LogEntry)
    .filter((e: LogEntry) => e.level === ERROR_LEVEL)
    .map((e: LogEntry) => String(e.msg));
}

/** Everything the nodes logged, any level, as text. */
export function loggedText(): string {
  return helper
    .log()
    .args.map((a: unknown[]) => String((a[0] as LogEntry).msg))
    .join('\n');
}

/** Records every status a node sets. */
export function recordStatuses(node: LoadedNode): NodeStatus[] {
  const statuses: NodeStatus[] = [];
  node.on('call:status', ((call: { args: [NodeStatus] }) => statuses.push(call.args[0])) as never);
  return statuses;
}

/**
 * Every status the node set since the flow was loaded, its constructor's too (recordStatuses sees
 * only those after it was called): the test helper spies on Node.prototype.status.
 */
export function statusesSince(id: string): NodeStatus[] {
  const spy = (helper as unknown as { _NodePrototype: { status: { getCalls(): StatusCall[] } } })
    ._NodePrototype.status;
  return spy
    .getCalls()
    .filter((c) => c.thisValue?.id === id)
    .map((c) => c.args[0]);
}

interface StatusCall {
  thisValue?: { id?: string };
  args: [NodeStatus];
}

export function loadFlow(
  nodeModule: unknown,
  flow: object[],
  credentials: Record<string, object> = {},
): Promise<void> {
  return new Promise((resolve, reject) =>
    helper.load(nodeModule as never, flow as never, credentials as never, (err?: Error) =>
      err ? reject(err) : resolve(),
    ),
  );
}

export function getNode(id: string): LoadedNode {
  const node = helper.getNode(id);
  if (!node) throw new Error(`node ${id} was not created`);
  return node as unknown as LoadedNode;
}

/** Every message node `id` (a helper node) receives from now on, in order. */
export function received<T>(id: string): T[] {
  const list: T[] = [];
  getNode(id).on('input', ((msg: T) => list.push(msg)) as never);
  return list;
}
