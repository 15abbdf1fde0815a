// What a dashboard's socket.io connection may do. node-red-dashboard (and any dashboard on socket.io)
// hands what a browser sends straight to its widgets' handlers; a handler that throws on a malformed
// message does so outside any of Node-RED's try/catch and ends the whole runtime: every camera, every
// unsaved minute. These socket.io middlewares keep the browser on the page's own origin, and keep
// anything it sends from stopping the runtime.
import type { IncomingHttpHeaders } from 'node:http';

type Listener = (...args: unknown[]) => unknown;
type Packet = unknown[];

/** The parts of a socket.io v4 server socket these middlewares use. */
export interface GuardedSocket {
  id: string;
  handshake: { headers: IncomingHttpHeaders; address?: string };
  on(event: string, listener: Listener): unknown;
  use(middleware: (packet: Packet, next: (err?: Error) => void) => void): unknown;
}

/** The host a browser's `Origin` names, or null when there is no usable Origin header. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Refuses a connection opened by a page of another site. A WebSocket is not bound by the
 * same-origin policy, and a cross-site polling POST is a "simple" request, so without this a page
 * anywhere could drive the dashboard with the browser's stored store login. Browsers always send
 * `Origin` on a WebSocket and on cross-site requests; a client that sends none (curl, a script) is
 * not a browser riding on stored credentials and still needs the login.
 */
export function sameOriginOnly(socket: GuardedSocket, next: (err?: Error) => void): void {
  const { origin, host } = socket.handshake.headers;
  if (origin === undefined) return next();
  const forwardedHost = socket.handshake.headers['x-forwarded-host'];
  const served = (Array.isArray(forwardedHost) ? forwardedHost[0] : forwardedHost) ?? host;
  if (served && originHost(origin) === served.toLowerCase()) return next();
  next(new Error('a connection from another site is refused'));
}

/** The first argument of each dashboard event that must be an object (node-red-dashboard 3.x). */
const OBJECT_ARGUMENT = new Set(['update-value', 'ui-collapse', 'ui-params']);

/** Why an incoming event is refused before any handler sees it, or null when its shape is sound. */
export function malformedEvent(packet: Packet): string | null {
  const [event, first] = packet;
  if (typeof event !== 'string') return 'an event without a name';
  if (OBJECT_ARGUMENT.has(event)) {
    if (first === null || typeof first !== 'object' || Array.isArray(first)) {
      return `'${event}' without an object`;
    }
    if (event === 'update-value' && typeof (first as { id?: unknown }).id !== 'string') {
      return `'update-value' without a widget id`;
    }
  }
  return null;
}

export interface SocketGuardOptions {
  /** Told once per refused or failed message (the caller's log), at most every `reportEveryMs`. */
  report: (text: string) => void;
  reportEveryMs?: number;
  now?: () => number;
}

/**
 * socket.io middleware that (1) drops events of a malformed shape before any handler sees them, and
 * (2) runs every handler registered on the socket inside a try/catch, so that whatever a widget's
 * handler throws on a message nobody foresaw is reported and dropped instead of ending the process.
 * (2) is the net under (1): widgets an integrator adds have handlers this guard cannot know.
 */
export function dashboardSocketGuard(options: SocketGuardOptions) {
  const every = options.reportEveryMs ?? 10_000;
  const now = options.now ?? Date.now;
  let lastReport = -Infinity;
  let unreported = 0;
  const report = (socket: GuardedSocket, what: string) => {
    const at = now();
    if (at - lastReport < every) {
      unreported++;
      return;
    }
    const more = unreported > 0 ? ` (and ${unreported} more since the last report)` : '';
    unreported = 0;
    lastReport = at;
    options.report(
      `dashboard socket ${socket.id} from ${socket.handshake.address ?? 'unknown address'}: ${what}${more}`,
    );
  };

  return (socket: GuardedSocket, next: (err?: Error) => void): void => {
    socket.use((packet, nextPacket) => {
      const problem = malformedEvent(packet);
      if (problem) {
        report(socket, `dropped ${problem}`);
        // An error here would be emitted as 'error' on the socket; dropping is enough.
        return;
      }
      nextPacket();
    });
    const on = socket.on.bind(socket);
    socket.on = (event: string, listener: Listener) =>
      on(event, (...args: unknown[]) => {
        try {
          return listener(...args);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          report(socket, `a '${event}' message failed and was dropped: ${reason}`);
          return undefined;
        }
      });
    next();
  };
}
