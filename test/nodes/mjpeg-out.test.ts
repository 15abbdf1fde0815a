import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { NodeAPI } from 'node-red';
import type { RequestListener } from 'node:http';
import helper from 'node-red-node-test-helper';
import mjpegOutNode from '../../nodes/mjpeg-out/mjpeg-out';
import { knownCameras } from '../../nodes/lib/control/known-cameras';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { clipJpegs } from '../../support/video/frames';
import { MjpegTestClient } from '../../support/video/mjpeg-client';
import { sleep, waitFor } from '../../support/processes';

helper.init(require.resolve('node-red'));

type TestNode = { receive(msg: object): void; on(event: string, cb: (msg: unknown) => void): void };

function flow(extra: Record<string, unknown> = {}) {
  return [
    {
      id: 'out',
      type: 'mjpeg-out',
      name: 'video',
      path: '/test_feed',
      maxClients: 0,
      wires: [['next']],
      ...extra,
    },
    { id: 'next', type: 'helper' },
  ];
}

describe('mjpeg-out node', function () {
  let jpegs: Buffer[];
  const clients: MjpegTestClient[] = [];
  // The test helper does not serve RED.httpNode, so a real HTTP server serves it here.
  let httpNode: RequestListener | null = null;
  let server: http.Server;
  let baseUrl = '';
  const mjpegOutWithHttp = (RED: NodeAPI) => {
    httpNode = RED.httpNode as unknown as RequestListener;
    mjpegOutNode(RED);
  };

  before(async () => {
    jpegs = await clipJpegs();
    await new Promise<void>((resolve) => helper.startServer(() => resolve()));
    server = http.createServer((req, res) => (httpNode ? httpNode(req, res) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await helper.unload();
  });

  const load = (extra: Record<string, unknown> = {}) =>
    new Promise<TestNode>((resolve) =>
      helper.load(mjpegOutWithHttp, flow(extra), () => resolve(helper.getNode('out') as unknown as TestNode)),
    );
  const connect = async (path = '/test_feed') => {
    const client = new MjpegTestClient(`${baseUrl}${path}`);
    clients.push(client);
    await client.connected;
    return client;
  };
  /** Sends frames into the node at about `fps`. */
  const play = async (node: TestNode, count: number, fps = 50) => {
    for (let i = 0; i < count; i++) {
      node.receive({ payload: jpegs[i % jpegs.length] });
      await sleep(1000 / fps);
    }
  };

  it('streams the frames it receives, unchanged, to two HTTP viewers at once', async () => {
    const node = await load();
    const a = await connect();
    const b = await connect();
    assert.equal(a.statusCode, 200);
    assert.match(a.contentType, /^multipart\/x-mixed-replace; boundary=frame/);
    await play(node, 20);
    await waitFor(
      () => a.frames.length >= 20 && b.frames.length >= 20,
      5000,
      'both viewers to get 20 frames',
    );
    for (let i = 0; i < 20; i++) {
      assert.ok(a.frames[i].equals(jpegs[i]), `frame ${i} reaches viewer A byte for byte`);
      assert.ok(b.frames[i].equals(jpegs[i]), `frame ${i} reaches viewer B byte for byte`);
      assert.deepEqual(readJpegSize(a.frames[i]), { width: 768, height: 576 });
    }
  });

  it('passes every message on to the next node', async () => {
    const node = await load();
    const next = helper.getNode('next') as unknown as TestNode;
    const got = new Promise<unknown>((resolve) => next.on('input', resolve));
    node.receive({ payload: jpegs[0], topic: 'camera-1' });
    const msg = (await got) as { payload: Buffer; topic: string };
    assert.equal(msg.topic, 'camera-1');
    assert.ok(msg.payload.equals(jpegs[0]));
  });

  it('is read by ffmpeg as an MJPEG stream (-f mpjpeg) and every frame decodes', async () => {
    const node = await load();
    let playing = true;
    const feeder = (async () => {
      for (let i = 0; playing; i++) {
        node.receive({ payload: jpegs[i % jpegs.length] });
        await sleep(40);
      }
    })();
    try {
      const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
        const ff = spawn('ffmpeg', [
          '-hide_banner',
          '-loglevel',
          'error',
          '-f',
          'mpjpeg',
          '-i',
          `${baseUrl}/test_feed`,
          '-frames:v',
          '10',
          '-f',
          'framemd5',
          '-',
        ]);
        let stderr = '';
        let stdout = '';
        ff.stderr.on('data', (d: Buffer) => (stderr += d));
        ff.stdout.on('data', (d: Buffer) => (stdout += d));
        ff.on('close', (code) => resolve({ code, stderr, stdout }));
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      // framemd5 prints one line per decoded frame.
      assert.equal(result.stdout.split('\n').filter((l) => /^0,/.test(l)).length, 10);
    } finally {
      playing = false;
      await feeder;
    }
  });

  it('keeps streaming to a reading viewer while another viewer never reads', async () => {
    const node = await load();
    const url = new URL(`${baseUrl}/test_feed`);
    // A raw connection that sends its request and then never reads a byte.
    const stuck = net.connect(Number(url.port), url.hostname);
    stuck.write(`GET /test_feed HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    stuck.pause();
    const reader = await connect();
    try {
      await play(node, 300, 200);
      await waitFor(() => reader.frames.length >= 290, 10000, 'the reading viewer to keep up');
    } finally {
      stuck.destroy();
    }
  });

  it('answers 404 at once for a camera it does not know, and streams a known camera before its first frame', async () => {
    const node = await load();
    const unknown = await fetch(`${baseUrl}/test_feed/nope`, { signal: AbortSignal.timeout(2000) });
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /^no camera nope \(cameras: none yet\)/);
    // A camera whose node runs (rtsp-in names it) but which has sent nothing yet: its viewer waits.
    knownCameras.add('door', 'test-camera-node');
    try {
      const door = await connect('/test_feed/door');
      assert.equal(door.statusCode, 200);
      node.receive({ payload: jpegs[0], topic: 'door' });
      await waitFor(() => door.frames.length === 1, 2000, "the door's first frame");
      // A camera whose frames came is known to the feed by itself.
      node.receive({ payload: jpegs[1], topic: 'till' });
      const till = await connect('/test_feed/till');
      assert.equal(till.statusCode, 200);
      const stillUnknown = await fetch(`${baseUrl}/test_feed/nope`);
      assert.equal(stillUnknown.status, 404);
      assert.match(await stillUnknown.text(), /\(cameras: door, till\)/);
    } finally {
      knownCameras.removeOwner('test-camera-node');
    }
  });

  it('answers 503 past the viewer limit', async () => {
    await load({ maxClients: 1 });
    const first = await connect();
    const second = await connect();
    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 503);
  });

  it('sends the viewer counts on output 2, unless Viewers out is off', async () => {
    const viewerCounts = async (extra: Record<string, unknown>) => {
      const node = await load({ wires: [[], ['next']], ...extra });
      const counts: unknown[] = [];
      (helper.getNode('next') as unknown as TestNode).on('input', (msg) => counts.push(msg));
      await play(node, 2);
      await connect();
      await play(node, 5);
      await helper.unload();
      return counts as Array<{ topic: string; cameras: string[]; feed: string; payload: number }>;
    };
    // A flow saved before the setting existed has no viewerCounts: on.
    const counts = await viewerCounts({});
    assert.ok(counts.length > 0, 'viewer counts sent');
    assert.deepEqual(
      { ...counts[counts.length - 1], _msgid: undefined },
      { topic: 'viewers', cameras: [''], feed: 'out', payload: 1, _msgid: undefined },
    );
    assert.deepEqual(await viewerCounts({ viewerCounts: false }), [], 'none with the setting off');
  });

  it('reports a payload that is not a JPEG as an error', async () => {
    const node = await load();
    node.receive({ payload: 'hello' });
    await waitFor(
      () =>
        helper.log().args.some((a: unknown[]) => (a[0] as { level?: number; msg?: unknown }).level === 20),
      2000,
      'an error in the log',
    );
    const error = helper
      .log()
      .args.map((a: unknown[]) => a[0] as { level: number; msg: unknown })
      .find((e: { level: number }) => e.level === 20);
    assert.match(String(error!.msg), /not a JPEG image/);
  });

  it('removes its route when the flow stops', async () => {
    await load();
    const before = await fetch(`${baseUrl}/test_feed`, { signal: AbortSignal.timeout(500) }).catch(
      () => null,
    );
    assert.ok(before === null || before.status === 200);
    await helper.unload();
    const after = await fetch(`${baseUrl}/test_feed`);
    assert.equal(after.status, 404);
  });

  it('refuses a path with unsafe characters', async () => {
    await load({ path: '/../etc' });
    const errors = helper
      .log()
      .args.map((a: unknown[]) => a[0] as { level: number; msg: unknown })
      .filter((e: { level: number }) => e.level === 20);
    assert.match(String(errors[0]?.msg), /path must start with \//);
  });
});
