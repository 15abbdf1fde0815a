import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import {
  dashboardSocketGuard,
  type GuardedSocket,
  malformedEvent,
  sameOriginOnly,
} from '../../../nodes/lib/http/dashboard-socket-guard';

type Listener = (...args: unknown[]) => unknown;
type PacketMiddleware = (packet: unknown[], next: (err?: Error) => void) => void;

/** A socket as socket.io hands it to middleware: packet middlewares, listeners, a dispatcher. */
class FakeSocket implements GuardedSocket {
  id = 'socket-1';
  handshake: { headers: IncomingHttpHeaders; address: string };
  readonly listeners = new Map<string, Listener[]>();
  readonly packetMiddlewares: PacketMiddleware[] = [];
  constructor(headers: IncomingHttpHeaders = {}) {
    this.handshake = { headers, address: '192.0.2.7' };
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  use(middleware: PacketMiddleware) {
    this.packetMiddlewares.push(middleware);
    return this;
  }
  /** What socket.io does with an incoming event: packet middlewares in order, then the listeners. */
  dispatch(packet: unknown[]): boolean {
    let passed = true;
    for (const middleware of this.packetMiddlewares) {
      let called = false;
      middleware(packet, () => (called = true));
      if (!called) passed = false;
    }
    if (passed) for (const l of this.listeners.get(packet[0] as string) ?? []) l(...packet.slice(1));
    return passed;
  }
}

const originCheck = (headers: IncomingHttpHeaders) =>
  new Promise<Error | undefined>((resolve) => sameOriginOnly(new FakeSocket(headers), resolve));

describe('dashboard socket guard', () => {
  it('lets in the page of its own origin, and clients that send no Origin (they still need the login)', async () => {
    assert.equal(await originCheck({ host: '192.0.2.1:1880', origin: 'http://192.0.2.1:1880' }), undefined);
    assert.equal(await originCheck({ host: 'store-pc:1880', origin: 'https://STORE-PC:1880' }), undefined);
    assert.equal(await originCheck({ host: '192.0.2.1:1880' }), undefined);
    assert.equal(
      await originCheck({
        host: '127.0.0.1:1880',
        'x-forwarded-host': 'store.example',
        origin: 'https://store.example',
      }),
      undefined,
    );
  });

  it('refuses a page of another site, or an origin it cannot read', async () => {
    assert.match(
      String(await originCheck({ host: '192.0.2.1:1880', origin: 'http://shop-wifi.example' })),
      /another site/,
    );
    assert.match(String(await originCheck({ host: '192.0.2.1:1880', origin: 'null' })), /another site/);
    assert.match(
      String(await originCheck({ host: '192.0.2.1:1880', origin: 'http://192.0.2.1:1881' })),
      /another site/,
    );
  });

  it('names what is wrong with an event whose shape the dashboard never sends', () => {
    assert.equal(malformedEvent(['update-value', { id: 'sa-ui-save', value: 1 }]), null);
    assert.equal(malformedEvent(['ui-refresh']), null);
    assert.equal(malformedEvent(['ui-change', 3]), null);
    assert.match(malformedEvent(['update-value', 1]) ?? '', /without an object/);
    assert.match(malformedEvent(['update-value', { value: 1 }]) ?? '', /without a widget id/);
    assert.match(malformedEvent(['ui-collapse', null]) ?? '', /without an object/);
    assert.match(malformedEvent(['ui-params', []]) ?? '', /without an object/);
    assert.match(malformedEvent([7]) ?? '', /without a name/);
  });

  it('drops malformed events before any handler, and keeps a handler that throws from ending the process', () => {
    const reports: string[] = [];
    let now = 0;
    const guard = dashboardSocketGuard({ report: (t) => reports.push(t), now: () => now });
    const socket = new FakeSocket();
    let connected = false;
    guard(socket, () => (connected = true));
    assert.ok(connected);
    const seen: unknown[] = [];
    // As node-red-dashboard registers its handlers after the middleware ran.
    socket.on('ui-collapse', (d) => seen.push((d as { group: string }).group));
    socket.on('update-value', (m) => {
      const value = (m as { value: { msg: { topic?: string } } }).value;
      seen.push(value.msg.topic);
    });

    assert.equal(socket.dispatch(['ui-collapse', null]), false);
    assert.doesNotThrow(() => socket.dispatch(['update-value', { id: 'sa-ui-confirm', value: 1 }]));
    socket.dispatch(['update-value', { id: 'sa-ui-confirm', value: { msg: { topic: 'ok' } } }]);
    assert.deepEqual(seen, ['ok']);
    assert.equal(reports.length, 1, 'reports are throttled');
    assert.match(reports[0], /socket-1 from 192\.0\.2\.7: dropped 'ui-collapse' without an object/);
    now = 10_000;
    socket.dispatch(['update-value', { id: 'sa-ui-confirm', value: 1 }]);
    assert.match(reports[1], /failed and was dropped: .*\(and 1 more since the last report\)/);
  });
});
