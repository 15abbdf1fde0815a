/**
 * A dashboard socket.io client at the protocol level (Engine.IO 4 long-polling, the transport the
 * dashboard's page opens first), as an outsider with curl would drive it: it can send what no
 * socket.io client library would (malformed events, foreign origins, no credentials).
 */

/** Engine.IO 4 separates the packets of one polling payload with the record separator. */
const SEPARATOR = '\x1e';

export interface SocketOptions {
  /** `Authorization` header value (the store login), or none. */
  authorization?: string;
  /** `Origin` header value (a page of another site), or none. */
  origin?: string;
  /** Path of the socket (node-red-dashboard 3: /ui/socket.io/). */
  path?: string;
}

export class DashboardSocket {
  private constructor(
    private readonly base: string,
    private readonly headers: Record<string, string>,
    readonly sid: string,
  ) {}

  /** Opens an Engine.IO session (the handshake a browser's first request does). */
  static async open(url: string, options: SocketOptions = {}): Promise<DashboardSocket> {
    const headers: Record<string, string> = {};
    if (options.authorization) headers.Authorization = options.authorization;
    if (options.origin) headers.Origin = options.origin;
    const base = `${url}${options.path ?? '/ui/socket.io/'}?EIO=4&transport=polling`;
    const answer = await fetch(base, { headers });
    const text = await answer.text();
    if (answer.status !== 200 || !text.startsWith('0')) {
      throw new Error(`handshake answered ${answer.status}: ${text.slice(0, 200)}`);
    }
    const { sid } = JSON.parse(text.slice(1)) as { sid: string };
    return new DashboardSocket(`${base}&sid=${encodeURIComponent(sid)}`, headers, sid);
  }

  /** Sends raw packets (e.g. `40` to join the namespace, `42[...]` an event). */
  async send(...packets: string[]): Promise<number> {
    const answer = await fetch(this.base, {
      method: 'POST',
      headers: { ...this.headers, 'Content-Type': 'text/plain;charset=UTF-8' },
      body: packets.join(SEPARATOR),
    });
    await answer.text();
    return answer.status;
  }

  /** The packets waiting for this client (one long-poll; the server answers at once when it has some). */
  async receive(): Promise<string[]> {
    const answer = await fetch(this.base, { headers: this.headers });
    const text = await answer.text();
    if (answer.status !== 200) throw new Error(`poll answered ${answer.status}: ${text.slice(0, 200)}`);
    return text.split(SEPARATOR);
  }

  /** Sends `40` (join the default namespace) and returns what the server answers to it. */
  async connect(): Promise<string[]> {
    await this.send('40');
    return this.receive();
  }

  /** An event packet: `42["name", ...args]`. */
  static event(name: string, ...args: unknown[]): string {
    return `42${JSON.stringify([name, ...args])}`;
  }
}

/** Shapes a widget's handler might not expect as the `value` of an `update-value` event. */
const ODD_VALUES: unknown[] = [
  null,
  1,
  'text',
  [],
  {},
  { msg: 1 },
  { msg: null },
  { msg: [] },
  { msg: 'text' },
  { msg: { payload: { nested: [1, { deeper: null }] } } },
  { msg: { topic: 1, payload: null, socketid: 5, _dontSend: 1 } },
  [[[[[[[[[[[]]]]]]]]]]],
];

/**
 * What a browser (or anything posing as one) could send through the dashboard's socket that its
 * widgets were never written for: packets that are not events, dashboard events without or with the
 * wrong arguments, and odd values for every widget in `widgetIds`. None of it may stop the runtime.
 */
export function malformedDashboardPackets(widgetIds: string[]): string[] {
  const packets = ['42', '42[', '42{}', '42[1]', '42[null]', '42["update-value"', '4x', '49', 'garbage'];
  const events = ['update-value', 'ui-collapse', 'ui-params', 'ui-change', 'ui-audio', 'ui-replay-state'];
  for (const name of events) {
    for (const arg of [undefined, null, 1, 'text', [], {}, { id: 1 }, { group: null, state: {} }]) {
      packets.push(arg === undefined ? DashboardSocket.event(name) : DashboardSocket.event(name, arg));
    }
  }
  for (const id of widgetIds) {
    packets.push(DashboardSocket.event('update-value', { id }));
    for (const value of ODD_VALUES) packets.push(DashboardSocket.event('update-value', { id, value }));
  }
  // Last: a binary event whose attachment never comes. The parser then takes what follows on this
  // session as the attachment, so nothing after it would reach a handler.
  packets.push('451-["update-value",{"_placeholder":true,"num":0}]');
  return packets;
}

/**
 * Sends each packet through a session of its own, joined first and closed after. A packet that
 * breaks its session (a parse error) makes the server close it only at the next poll, and what is
 * sent on it until then is silently dropped: one session per packet is what lets every packet reach
 * the handlers.
 */
export async function sendEachPacket(url: string, options: SocketOptions, packets: string[]): Promise<void> {
  for (const packet of packets) {
    const socket = await DashboardSocket.open(url, options);
    const joined = await socket.connect();
    if (!joined.some((p) => p.startsWith('40')))
      throw new Error(`not joined: ${joined.join(' ').slice(0, 200)}`);
    await socket.send(packet);
    // Engine.IO's close packet: the server lets the session go now, not after its ping timeout.
    await socket.send('1');
  }
}
