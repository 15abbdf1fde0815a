/**
 * An answer to a query as a node sends it, over HTTP (for `http response`) or to a flow: the status
 * code, the payload and its content type. `error` is set when the node also reports it (a flow's
 * bad query, or a failure of the node's own).
 */
export interface QueryAnswer {
  statusCode: number;
  payload: unknown;
  type: string;
  headers?: Record<string, string>;
  error?: string;
}
