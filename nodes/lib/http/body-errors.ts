/**
 * Node-RED's `http in` node reads a POST, PUT, PATCH or DELETE body with body-parser (at most
 * `apiMaxLength`, default 5 MB, and at most 1000 form fields), and answers every error of it with a
 * bare 500: a body too large, too many fields or JSON that does not parse read as a fault of the
 * server. Here such a refusal gets its own status (413, 400, 415) and a short reason instead; the
 * limits stay as they are, and every other error still goes to the node's own handler.
 */

/** What to answer a request whose body was refused. */
export interface BodyErrorAnswer {
  status: number;
  text: string;
}

/** body-parser's default, which the http in node keeps (it sets no parameterLimit). */
const FORM_FIELD_LIMIT = 1000;

function size(bytes: unknown): string | null {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return null;
  const unit = (n: number, name: string) => `${Number.isInteger(n) ? n : n.toFixed(1)} ${name}`;
  if (bytes >= 1048576) return unit(bytes / 1048576, 'MB');
  if (bytes >= 1024) return unit(bytes / 1024, 'KB');
  return `${bytes} bytes`;
}

/**
 * The answer to an error a body parser raised (http-errors with a 4xx status and a `type`), or null
 * for any other error (left to the route's own error handler).
 */
export function bodyErrorAnswer(err: unknown): BodyErrorAnswer | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as Record<string, unknown>;
  const status = Number(e.status ?? e.statusCode);
  if (!(status >= 400 && status < 500) || e.expose !== true) return null;
  const message = typeof e.message === 'string' ? e.message : '';
  switch (e.type) {
    case 'entity.too.large': {
      const got = size(e.length ?? e.received);
      const limit = size(e.limit);
      return {
        status: 413,
        text: `request body too large${got ? ` (${got})` : ''}: this endpoint takes at most ${limit ?? 'the limit Node-RED sets (apiMaxLength)'}`,
      };
    }
    case 'parameters.too.many':
      return {
        status: 413,
        text: `too many form fields: this endpoint takes at most ${FORM_FIELD_LIMIT}`,
      };
    case 'entity.parse.failed':
      return { status: 400, text: `the request body cannot be read: ${message}` };
    default:
      // Other refusals of the body (a charset or encoding it cannot read, a request cut off) and
      // any error marked safe to show (http-errors' `expose`): their own status and words.
      return { status, text: message || 'bad request' };
  }
}

interface RouteLayer {
  handle: unknown;
  route?: { stack?: Array<{ handle: unknown }> };
}

type ErrorHandler = (err: unknown, req: unknown, res: BodyErrorResponse, next: unknown) => unknown;

interface BodyErrorResponse {
  headersSent: boolean;
  status(code: number): BodyErrorResponse;
  type(type: string): BodyErrorResponse;
  send(body: string): unknown;
}

const WRAPPED = Symbol.for('node-red-contrib-store-analytics.bodyErrors');

/**
 * Makes the routes of `app` (Node-RED's RED.httpNode) that the http in node made for a request with
 * a body answer body errors as bodyErrorAnswer says: the last handler of such a route (the node's
 * error handler, which answers 500) is wrapped once. Such a route is known by the node's
 * `rawBodyParser` in it. Returns how many routes it wrapped now.
 */
export function answerBodyErrors(app: unknown): number {
  const stack = (app as { _router?: { stack?: RouteLayer[] } } | null | undefined)?._router?.stack;
  if (!Array.isArray(stack)) return 0;
  let wrapped = 0;
  for (const layer of stack) {
    const handlers = layer.route?.stack;
    if (!Array.isArray(handlers) || handlers.length === 0) continue;
    if (!handlers.some((h) => typeof h.handle === 'function' && h.handle.name === 'rawBodyParser')) continue;
    const last = handlers[handlers.length - 1];
    const original = last.handle as ErrorHandler & { [WRAPPED]?: true };
    // Express calls a handler with an error only when it takes four arguments.
    if (typeof original !== 'function' || original.length !== 4 || original[WRAPPED]) continue;
    const handle = function (err: unknown, req: unknown, res: BodyErrorResponse, next: unknown) {
      const answer = bodyErrorAnswer(err);
      if (!answer || res.headersSent) return original(err, req, res, next);
      res.status(answer.status).type('text/plain; charset=utf-8').send(`${answer.text}\n`);
      return undefined;
    } as ErrorHandler & { [WRAPPED]?: true };
    handle[WRAPPED] = true;
    last.handle = handle;
    wrapped++;
  }
  return wrapped;
}
