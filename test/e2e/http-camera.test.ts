import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import rtspInNode from '../../nodes/rtsp-in/rtsp-in';
import type { FrameMessage } from '../../nodes/rtsp-in/rtsp-in-types';
import { MjpegBroadcaster } from '../../nodes/lib/http/mjpeg-broadcaster';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { clipJpegs } from '../../support/video/frames';
import { getNode, helper, loadFlow, loggedErrors } from '../../support/node-red/test-helper';
import { ffmpegProcessesWith, waitFor } from '../../support/processes';

/**
 * An HTTP MJPEG camera (as many cheap IP cameras are): a plain HTTP server streaming the clip's
 * frames at 10 fps as multipart/x-mixed-replace, with basic auth.
 */
describe('rtsp-in with an HTTP MJPEG camera', function () {
  this.timeout(30000);
  let server: http.Server;
  let feeder: NodeJS.Timeout;
  let port = 0;

  before(async () => {
    await helper.startServer();
    const jpegs = await clipJpegs();
    const camera = new MjpegBroadcaster();
    let i = 0;
    feeder = setInterval(() => camera.publish(jpegs[i++ % jpegs.length]), 100);
    server = http.createServer((req, res) => {
      const expected = `Basic ${Buffer.from('cam:p@ss word').toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="camera"' }).end();
        return;
      }
      camera.addClient(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    clearInterval(feeder);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await helper.stopServer();
  });
  afterEach(async () => {
    await helper.unload();
    await waitFor(() => ffmpegProcessesWith(`127.0.0.1:${port}`).length === 0, 5000, 'ffmpeg to exit');
  });

  const flow = () => [
    {
      id: 'cam',
      type: 'rtsp-in',
      url: `http://127.0.0.1:${port}/video.mjpg`,
      cameraId: 'aisle',
      wires: [['out']],
    },
    { id: 'out', type: 'helper' },
  ];

  it('reads the camera with the credentials from the credential store', async () => {
    await loadFlow(rtspInNode, flow(), { cam: { user: 'cam', password: 'p@ss word' } });
    const frames: FrameMessage[] = [];
    getNode('out').on('input', ((msg: FrameMessage) => frames.push(msg)) as never);
    await waitFor(() => frames.length >= 10, 15000, '10 frames');
    assert.deepEqual(readJpegSize(frames[9].payload), { width: 768, height: 576 });
    assert.deepEqual(loggedErrors(), []);
  });

  it('says the camera refused a wrong password', async () => {
    await loadFlow(rtspInNode, flow(), { cam: { user: 'cam', password: 'nope-nope' } });
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.deepEqual(loggedErrors(), ['aisle: camera refused the user name or password']);
  });
});
