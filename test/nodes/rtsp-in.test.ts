import assert from 'node:assert/strict';
import { greyThumbnail } from '../../nodes/lib/motion/grey-thumbnail';
import { mkdirSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { NodeStatus } from 'node-red';
import rtspInNode from '../../nodes/rtsp-in/rtsp-in';
import type { FrameMessage } from '../../nodes/rtsp-in/rtsp-in-types';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { demoClip, testTmp } from '../../support/assets';
import { getNode, helper, loadFlow, loggedErrors, recordStatuses } from '../../support/node-red/test-helper';
import { ffmpegProcessesWith, sleep, waitFor } from '../../support/processes';

/** A uniquely named link to the clip, so this test's ffmpeg processes can be told apart. */
function uniqueClip(name: string): string {
  const dir = path.join(testTmp, `rtsp-in-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const link = path.join(dir, `${name}.avi`);
  rmSync(link, { force: true });
  symlinkSync(demoClip(), link);
  return link;
}

function camera(extra: Record<string, unknown>) {
  return [
    {
      id: 'cam',
      type: 'rtsp-in',
      name: 'entrance',
      url: '',
      transport: 'tcp',
      loop: true,
      realtime: true,
      fps: 0,
      width: 0,
      height: 0,
      quality: 5,
      stallTimeout: 10,
      autoStart: true,
      wires: [['out']],
      ...extra,
    },
    { id: 'out', type: 'helper' },
  ];
}

function collectFrames(): FrameMessage[] {
  const frames: FrameMessage[] = [];
  getNode('out').on('input', ((msg: FrameMessage) => frames.push(msg)) as never);
  return frames;
}

describe('rtsp-in node on a video file', function () {
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it('sends one JPEG message per frame with the frame metadata, at the clip rate', async () => {
    const clip = uniqueClip('metadata');
    await loadFlow(rtspInNode, camera({ url: clip, cameraId: 'door-1' }));
    const frames = collectFrames();
    await waitFor(() => frames.length >= 15, 10000, '15 frames');
    const first = frames[0];
    assert.equal(first.topic, 'door-1');
    assert.deepEqual(readJpegSize(first.payload), { width: 768, height: 576 });
    assert.deepEqual(
      { ...first.frame, capturedAt: 0, thumbnail: undefined },
      {
        sourceId: 'door-1',
        seq: 1,
        capturedAt: 0,
        width: 768,
        height: 576,
        format: 'jpeg',
        thumbnail: undefined,
      },
    );
    // Beside the JPEG, ffmpeg's small grey picture of the frame (for the motion gate): the same picture
    // as the JPEG decoded small, within a frame (the two come on separate pipes).
    const withThumbnail = frames.slice(0, 15).filter((f) => f.frame.thumbnail);
    assert.ok(withThumbnail.length >= 12, `${withThumbnail.length} of 15 frames with a thumbnail`);
    const last = withThumbnail[withThumbnail.length - 1];
    assert.equal(last.frame.thumbnail!.grey.length, 96 * 72);
    const decoded = await greyThumbnail(last.payload, 96);
    let difference = 0;
    for (let i = 0; i < decoded.data.length; i++)
      difference += Math.abs(decoded.data[i] - last.frame.thumbnail!.grey[i]);
    assert.ok(
      difference / decoded.data.length < 12,
      `mean difference ${difference / decoded.data.length} grey levels`,
    );
    assert.deepEqual(
      frames.slice(0, 15).map((f) => f.frame.seq),
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    // The clip is 10 fps and is played in real time: frames are ~100 ms apart (loose bounds:
    // this checks pacing, not machine speed).
    const span = frames[14].frame.capturedAt - frames[4].frame.capturedAt;
    assert.ok(span > 500 && span < 2000, `10 frames took ${span} ms`);
  });

  it('scales keeping the aspect ratio and limits the frame rate', async () => {
    await loadFlow(rtspInNode, camera({ url: uniqueClip('scaled'), width: 320, fps: 5 }));
    const frames = collectFrames();
    await waitFor(() => frames.length >= 8, 10000, '8 frames');
    assert.deepEqual(readJpegSize(frames[0].payload), { width: 320, height: 240 });
    assert.equal(frames[0].frame.width, 320);
    const span = frames[7].frame.capturedAt - frames[2].frame.capturedAt;
    assert.ok(span > 600 && span < 2000, `5 frames at 5 fps took ${span} ms`);
  });

  it('obeys stop, start and restart and leaves no ffmpeg behind when stopped', async () => {
    const clip = uniqueClip('control');
    await loadFlow(rtspInNode, camera({ url: clip }));
    const node = getNode('cam');
    const frames = collectFrames();
    await waitFor(() => frames.length >= 3, 10000, 'first frames');
    assert.equal(ffmpegProcessesWith(clip).length, 1);

    node.receive({ topic: 'stop' });
    await waitFor(() => ffmpegProcessesWith(clip).length === 0, 5000, 'ffmpeg to exit after stop');
    const countAtStop = frames.length;
    await sleep(500);
    assert.equal(frames.length, countAtStop, 'no frames while stopped');

    node.receive({ topic: 'start', cameras: 'another-camera' }); // for another camera: ignored
    await sleep(500);
    assert.equal(frames.length, countAtStop, 'a command naming another camera is not for this one');
    node.receive({ topic: 'start', cameras: ['another-camera', 'entrance'] });
    await waitFor(() => frames.length >= countAtStop + 3, 10000, 'frames after start');
    assert.ok(frames[frames.length - 1].frame.seq > frames[countAtStop - 1].frame.seq, 'seq goes on');

    node.receive({ topic: 'restart' });
    const countAtRestart = frames.length;
    await waitFor(() => frames.length >= countAtRestart + 3, 10000, 'frames after restart');
    assert.equal(ffmpegProcessesWith(clip).length, 1, 'exactly one ffmpeg after restart');

    node.receive({ topic: 'dance' });
    await waitFor(() => loggedErrors().some((e) => /unknown command/.test(e)), 2000, 'unknown command error');

    await helper.unload();
    await waitFor(() => ffmpegProcessesWith(clip).length === 0, 5000, 'ffmpeg to exit on close');
  });

  it('does not start before a start message when auto start is off', async () => {
    const clip = uniqueClip('manual');
    await loadFlow(rtspInNode, camera({ url: clip, autoStart: false }));
    const frames = collectFrames();
    await sleep(1000);
    assert.equal(frames.length, 0);
    assert.equal(ffmpegProcessesWith(clip).length, 0);
    getNode('cam').receive({ topic: 'start' });
    await waitFor(() => frames.length >= 2, 10000, 'frames after start');
  });

  it('stops at the end of a file that is not looped', async () => {
    // 1 s of the clip, unthrottled.
    const clip = uniqueClip('once');
    await loadFlow(rtspInNode, camera({ url: clip, loop: false, realtime: false, fps: 0 }));
    const statuses = recordStatuses(getNode('cam'));
    const frames = collectFrames();
    await waitFor(
      () => statuses.some((s) => s.text === 'entrance: end of video'),
      20000,
      'the end of the clip',
    );
    assert.equal(frames.length, 795, 'every frame of the clip, once');
    assert.equal(ffmpegProcessesWith(clip).length, 0);
  });

  it('says so when the file does not exist, and keeps retrying without crashing', async () => {
    await loadFlow(rtspInNode, camera({ url: path.join(testTmp, 'no-such-clip.mp4') }));
    const statuses = recordStatuses(getNode('cam'));
    await waitFor(
      () =>
        statuses.find((s: NodeStatus) =>
          /^entrance: video file not found: check the path - reconnecting in [1-5] s$/.test(String(s.text)),
        ),
      5000,
      'a status that explains the problem',
    );
    assert.deepEqual(loggedErrors(), ['entrance: video file not found: check the path']);
  });

  it('says so when the file is not a video', async () => {
    const notVideo = path.join(testTmp, 'not-a-video.avi');
    mkdirSync(testTmp, { recursive: true });
    writeFileSync(notVideo, 'this is text, not video\n'.repeat(100));
    await loadFlow(rtspInNode, camera({ url: notVideo }));
    await waitFor(() => loggedErrors().length > 0, 5000, 'an error');
    assert.match(loggedErrors()[0], /does not deliver a video stream/);
  });

  it('works with the static ffmpeg of @ffmpeg-installer/ffmpeg (for machines without ffmpeg)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = bundled;
    try {
      await loadFlow(rtspInNode, camera({ url: uniqueClip('bundled'), width: 384 }));
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
    const frames = collectFrames();
    await waitFor(() => frames.length >= 5, 10000, 'frames from the bundled ffmpeg');
    assert.deepEqual(readJpegSize(frames[4].payload), { width: 384, height: 288 });
  });

  it('shows a red status for a missing camera address instead of throwing', async () => {
    await loadFlow(rtspInNode, camera({ url: '' }));
    assert.deepEqual(loggedErrors(), ['no camera URL or file is configured']);
  });

  it('refuses a second camera with the same id, and a camera named like a command', async () => {
    const clip = uniqueClip('twice');
    await loadFlow(rtspInNode, [
      { id: 'cam', type: 'rtsp-in', url: clip, cameraId: 'door', loop: true, wires: [[]] },
      { id: 'copy', type: 'rtsp-in', url: clip, cameraId: 'door', loop: true, wires: [[]] },
      { id: 'odd', type: 'rtsp-in', url: clip, cameraId: 'reset', loop: true, wires: [[]] },
    ]);
    assert.ok(
      loggedErrors().some((e) => /camera id "door" is used by another rtsp-in node/.test(e)),
      loggedErrors().join('\n'),
    );
    assert.ok(loggedErrors().some((e) => /camera id "reset" is the name of a command/.test(e)));
    await waitFor(() => ffmpegProcessesWith(clip).length === 1, 5000, 'one ffmpeg for the one camera');
    await helper.unload();
    await waitFor(() => ffmpegProcessesWith(clip).length === 0, 5000, 'ffmpeg to exit on close');
  });
});
