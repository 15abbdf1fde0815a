import assert from 'node:assert/strict';
import type { NodeStatus } from 'node-red';
import rtspInNode from '../../nodes/rtsp-in/rtsp-in';
import type { FrameMessage } from '../../nodes/rtsp-in/rtsp-in-types';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import {
  getNode,
  helper,
  loadFlow,
  loggedErrors,
  loggedText,
  recordStatuses,
} from '../../support/node-red/test-helper';
import { ffmpegChildren, freePort, waitFor } from '../../support/processes';
import { RtspTestServer } from '../../support/video/rtsp-server';

// A password with characters that must be percent-encoded in an RTSP URL.
const USER = 'viewer';
const PASSWORD = 'S3cr@t:pa/ss';

function cameraFlow(url: string, extra: Record<string, unknown> = {}) {
  return [
    {
      id: 'cam',
      type: 'rtsp-in',
      name: 'till camera',
      url,
      cameraId: 'till',
      transport: 'tcp',
      stallTimeout: 10,
      wires: [['out']],
      ...extra,
    },
    { id: 'out', type: 'helper' },
  ];
}

const goodCredentials = { cam: { user: USER, password: PASSWORD } };

function collectFrames(): FrameMessage[] {
  const frames: FrameMessage[] = [];
  getNode('out').on('input', ((msg: FrameMessage) => frames.push(msg)) as never);
  return frames;
}

/** Everything a person could see: status texts and the log. */
function visibleText(statuses: NodeStatus[]): string {
  return `${statuses.map((s) => s.text).join('\n')}\n${loggedText()}`;
}

describe('rtsp-in with a real RTSP camera (GStreamer RTSP server, basic auth)', function () {
  this.timeout(60000);
  let server: RtspTestServer;

  before(async () => {
    await helper.startServer();
    server = await RtspTestServer.start({ user: USER, password: PASSWORD });
  });
  after(async () => {
    await server.stop();
    await helper.stopServer();
  });
  afterEach(async () => {
    await helper.unload();
    // Closing the flow stops ffmpeg: none may be left behind.
    await waitFor(() => ffmpegChildren().length === 0, 5000, 'ffmpeg to exit after the flow stopped');
  });

  for (const transport of ['tcp', 'udp']) {
    it(`streams frames of the right size at the camera's rate over ${transport.toUpperCase()}`, async () => {
      await loadFlow(rtspInNode, cameraFlow(server.url, { transport }), goodCredentials);
      const statuses = recordStatuses(getNode('cam'));
      const frames = collectFrames();
      await waitFor(() => frames.length >= 30, 20000, '30 frames');
      for (const frame of frames) {
        assert.deepEqual(readJpegSize(frame.payload), { width: 768, height: 576 });
        assert.equal(frame.frame.sourceId, 'till');
      }
      // The camera sends 10 fps; pacing is checked loosely (not machine speed), after the few
      // frames ffmpeg may hold while it probes the stream.
      const span = frames[29].frame.capturedAt - frames[9].frame.capturedAt;
      assert.ok(span > 1200 && span < 3500, `20 frames took ${span} ms`);
      await waitFor(
        () => statuses.some((s) => /^[^:]+: streaming \d+\.\d fps$/.test(String(s.text))),
        3000,
        'streaming status',
      );
      assert.deepEqual(loggedErrors(), []);
      // The process list (any user can read it with `ps`) shows neither the password nor the camera.
      const commandLines = ffmpegChildren();
      assert.equal(commandLines.length, 1, 'one ffmpeg streaming');
      assert.ok(!commandLines[0].includes(PASSWORD), commandLines[0]);
      assert.ok(!commandLines[0].includes(encodeURIComponent(PASSWORD)), commandLines[0]);
      assert.ok(!commandLines[0].includes(String(server.port)), commandLines[0]);
    });
  }

  it('says the camera refused the password, never shows it, and keeps trying', async () => {
    await loadFlow(rtspInNode, cameraFlow(server.url), { cam: { user: USER, password: 'wrong-Pa55' } });
    const statuses = recordStatuses(getNode('cam'));
    const frames = collectFrames();
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.deepEqual(loggedErrors(), ['till: camera refused the user name or password']);
    await waitFor(
      () =>
        statuses.some((s) =>
          /^[^:]+: camera refused the user name or password - reconnecting in \d+ s$/.test(String(s.text)),
        ),
      3000,
      'a status that says so',
    );
    assert.equal(statuses.find((s) => /refused/.test(String(s.text)))?.fill, 'red');
    assert.equal(frames.length, 0);
    assert.ok(!visibleText(statuses).includes('wrong-Pa55'), 'the password is not shown');
  });

  it('says the stream does not exist for a wrong path', async () => {
    await loadFlow(rtspInNode, cameraFlow(`rtsp://127.0.0.1:${server.port}/nothing-here`), goodCredentials);
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.match(loggedErrors()[0], /no stream at this address/);
  });

  it('says the camera refused the connection when nothing listens on its port', async () => {
    const closedPort = await freePort();
    await loadFlow(rtspInNode, cameraFlow(`rtsp://127.0.0.1:${closedPort}/cam`), goodCredentials);
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.match(loggedErrors()[0], /^till: camera refused the connection/);
  });

  it('reconnects by itself when the camera goes away and comes back', async () => {
    await loadFlow(rtspInNode, cameraFlow(server.url), goodCredentials);
    const statuses = recordStatuses(getNode('cam'));
    const frames = collectFrames();
    await waitFor(() => frames.length >= 10, 20000, 'first frames');

    await server.kill(); // power cut: no goodbye
    await waitFor(
      () => statuses.some((s) => /reconnecting in/.test(String(s.text))),
      15000,
      'a reconnecting status',
    );
    const countWhileDown = frames.length;
    await server.start();

    await waitFor(() => frames.length >= countWhileDown + 10, 30000, 'frames after the camera came back');
    const resumed = frames[countWhileDown];
    assert.equal(
      resumed.frame.seq,
      frames[countWhileDown - 1].frame.seq + 1,
      'seq continues across the reconnect',
    );
    assert.equal(ffmpegChildren().length, 1, 'one ffmpeg, not a pile of them');
    assert.ok(!visibleText(statuses).includes(PASSWORD));
  });

  it('restarts ffmpeg when the picture freezes (stall watchdog)', async () => {
    await loadFlow(rtspInNode, cameraFlow(server.url, { stallTimeout: 3 }), goodCredentials);
    const statuses = recordStatuses(getNode('cam'));
    const frames = collectFrames();
    await waitFor(() => frames.length >= 5, 20000, 'first frames');

    // The camera hangs with its connections open: only the watchdog can notice.
    server.pause();
    try {
      await waitFor(
        () =>
          statuses.some((s) =>
            /^[^:]+: no picture from the camera for 3 s - reconnecting in \d s$/.test(String(s.text)),
          ),
        10000,
        'the watchdog to fire',
      );
    } finally {
      server.resume();
    }
    const countAfterStall = frames.length;
    await waitFor(() => frames.length >= countAfterStall + 5, 30000, 'frames after the watchdog restart');
  });
});
