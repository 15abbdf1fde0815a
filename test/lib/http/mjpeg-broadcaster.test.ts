import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { MjpegBroadcaster } from '../../../nodes/lib/http/mjpeg-broadcaster';
import { mjpegPartHeader } from '../../../nodes/lib/http/mjpeg-multipart';
import { clipJpegs } from '../../../support/video/frames';
import { MjpegTestClient } from '../../../support/video/mjpeg-client';
import { sleep, waitFor } from '../../../support/processes';

describe('MJPEG broadcaster', () => {
  let server: http.Server;
  let broadcaster: MjpegBroadcaster;
  let base: string;
  let jpegs: Buffer[];
  const counts: number[] = [];

  before(async () => {
    jpegs = await clipJpegs();
  });
  beforeEach(async () => {
    counts.length = 0;
    broadcaster = new MjpegBroadcaster({ maxClients: 3, onClientsChanged: (n) => counts.push(n) });
    server = http.createServer((_req, res) => {
      if (!broadcaster.addClient(res)) res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterEach(async () => {
    broadcaster.closeAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('frames each JPEG as a multipart part with its length', () => {
    assert.equal(
      mjpegPartHeader(1234).toString('latin1'),
      '--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 1234\r\n\r\n',
    );
  });

  it('gives a new viewer the latest frame at once', async () => {
    broadcaster.publish(jpegs[3]);
    const client = new MjpegTestClient(base);
    await client.connected;
    await waitFor(() => client.frames.length === 1, 2000, 'the first frame');
    assert.ok(client.frames[0].equals(jpegs[3]));
    client.close();
  });

  it('holds at most about two frames for a viewer that never reads, however many frames pass', async () => {
    const url = new URL(base);
    const stuck = net.connect(Number(url.port), url.hostname);
    stuck.write(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    stuck.pause();
    await waitFor(() => broadcaster.clientCount === 1, 2000, 'the viewer to connect');
    const largest = Math.max(...jpegs.map((j) => j.length));
    let maxBuffered = 0;
    // 1000 frames of ~55 KB = 55 MB: far beyond any socket buffer, so a queue would show.
    for (let i = 0; i < 1000; i++) {
      broadcaster.publish(jpegs[i % jpegs.length]);
      if (i % 20 === 0) await sleep(2);
      maxBuffered = Math.max(maxBuffered, broadcaster.bufferedBytes);
    }
    assert.ok(maxBuffered <= 2 * largest + 1024, `buffered ${maxBuffered} bytes (largest frame ${largest})`);
    assert.ok(broadcaster.skippedFrames > 900, `skipped ${broadcaster.skippedFrames} frames`);
    stuck.destroy();
    await waitFor(() => broadcaster.clientCount === 0, 2000, 'the viewer to be removed');
  });

  it('disconnects a viewer whose socket has taken nothing for the stuck timeout', async () => {
    broadcaster = new MjpegBroadcaster({ stuckViewerMs: 300 });
    const url = new URL(base);
    const stuck = net.connect(Number(url.port), url.hostname);
    stuck.write(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    stuck.pause();
    stuck.on('error', () => {});
    await waitFor(() => broadcaster.clientCount === 1, 2000, 'the viewer to connect');
    const watcher = new MjpegTestClient(base);
    await watcher.connected;
    // Frames until the stuck socket is full, then past the timeout.
    const until = Date.now() + 5000;
    while (broadcaster.clientCount > 1 && Date.now() < until) {
      for (let i = 0; i < 20; i++) broadcaster.publish(jpegs[i % jpegs.length]);
      await sleep(20);
    }
    assert.equal(broadcaster.clientCount, 1, 'the stuck viewer is gone, the watching one stays');
    assert.ok(watcher.frames.length > 0);
    watcher.close();
    stuck.destroy();
  });

  it('counts viewers as they come and go, and refuses past the limit', async () => {
    const clients = [0, 1, 2, 3].map(() => new MjpegTestClient(base));
    await Promise.all(clients.map((c) => c.connected));
    assert.deepEqual(clients.map((c) => c.statusCode).sort(), [200, 200, 200, 503]);
    clients.forEach((c) => c.close());
    await waitFor(() => broadcaster.clientCount === 0, 2000, 'all viewers to leave');
    assert.deepEqual(counts, [1, 2, 3, 2, 1, 0]);
  });
});
