import type { Node, NodeMessage } from 'node-red';
import { carriesHttpRequest } from '../lib/messages/message-kinds';

export type Reply = (
  statusCode: number,
  payload: unknown,
  type: string,
  headers?: Record<string, string>,
) => void;

/**
 * How a node answers a query that came either from `http in` (msg.res: the answer on output 1, for
 * `http response`) or from a flow (the answer on output 2): the same message, with statusCode,
 * headers (never cached) and payload. `outputs` is the node's number of outputs.
 */
export function queryReply(
  node: Node,
  msg: NodeMessage,
  outputs: number,
): { fromHttp: boolean; reply: Reply } {
  const out = msg as NodeMessage & { statusCode?: number; headers?: Record<string, string> };
  const fromHttp = carriesHttpRequest(msg);
  const reply: Reply = (statusCode, payload, type, headers = {}) => {
    out.statusCode = statusCode;
    out.headers = { 'content-type': type, 'cache-control': 'no-store', ...headers };
    out.payload = payload;
    const ports: Array<NodeMessage | null> = Array.from({ length: outputs }, () => null);
    ports[fromHttp ? 0 : 1] = out;
    node.send(ports);
  };
  return { fromHttp, reply };
}
