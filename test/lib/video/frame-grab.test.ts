import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  answerFrame,
  FrameRequest,
  grabFirstFrame,
  grabFirstFrameOnce,
  localVideoFile,
} from '../../../nodes/lib/video/frame-grab';
import { findFfmpeg } from '../../../nodes/lib/video/ffmpeg-path';
import { demoClip, testTmp } from '../../../support/assets';
import { ffmpegChildren, waitFor } from '../../../support/processes';

const isJpeg = (b: Buffer) => b.length > 4 && b[0] === 0xff && b[1] === 0xd8;

describe('the first frame of a camera file, for the drawing dialogs', () => {
  const ffmpeg = findFfmpeg()!;

  afterEach(async () => {
    // Every grab's ffmpeg is gone once its answer is in (killed at its timeout at the latest).
    await waitFor(() => ffmpegChildren().length === 0, 2000, 'no ffmpeg left').catch(() =>
      assert.fail(`ffmpeg left behind: ${ffmpegChildren().join('; ')}`),
    );
  });

  it('finds a local file behind a path, a file: URL or ${VAR}, and nothing behind a stream', () => {
    const clip = demoClip();
    assert.equal(localVideoFile(clip), clip);
    assert.equal(localVideoFile(`  ${clip} `), clip);
    assert.equal(localVideoFile(pathToFileURL(clip).href), clip);
    assert.equal(localVideoFile('${DEMO}', { DEMO: clip }), clip);
    assert.equal(localVideoFile('${MISSING}', {}), null);
    assert.equal(localVideoFile(''), null);
    assert.equal(localVideoFile('rtsp://10.0.0.9/stream'), null);
    assert.equal(localVideoFile('http://10.0.0.9/mjpeg'), null);
    assert.equal(localVideoFile('/no/such/file.mp4'), null);
    assert.equal(localVideoFile(path.dirname(clip)), null, 'a folder is not a video file');
  });

  it('grabs a JPEG with ffmpeg, and says so when a file has no picture', async () => {
    const jpeg = await grabFirstFrame(ffmpeg.path, demoClip());
    assert.ok(isJpeg(jpeg));
    await assert.rejects(grabFirstFrame(ffmpeg.path, __filename), /no picture from/);
  });

  it('kills an ffmpeg that gives no picture in time (a FIFO nobody writes to)', async function () {
    const dir = path.join(testTmp, `frame-grab-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const fifo = path.join(dir, 'silent.fifo');
    rmSync(fifo, { force: true });
    execFileSync('mkfifo', [fifo]);
    try {
      const started = Date.now();
      await assert.rejects(grabFirstFrame(ffmpeg.path, fifo, 500), /no picture from .* within 1 s/);
      assert.ok(Date.now() - started < 5000, 'answered soon after the timeout');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts one ffmpeg for requests of the same file at the same time', async () => {
    const clip = demoClip();
    const first = grabFirstFrameOnce(ffmpeg.path, clip);
    const second = grabFirstFrameOnce(ffmpeg.path, clip);
    assert.equal(ffmpegChildren().length, 1);
    assert.equal(await first, await second);
    const later = await grabFirstFrameOnce(ffmpeg.path, clip);
    assert.notEqual(later, await first, 'a later request grabs again');
  });
});

describe('the frame endpoint’s answers', () => {
  const ffmpeg = findFfmpeg()!;
  const ask = (r: Partial<FrameRequest>) =>
    answerFrame({
      id: 'cam1',
      url: undefined,
      latest: undefined,
      deployedType: null,
      ffmpegPath: ffmpeg.path,
      ...r,
    });
  const latest = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

  it('answers the running camera’s latest frame', async () => {
    assert.deepEqual(await ask({ latest, deployedType: 'rtsp-in', url: demoClip() }), {
      status: 200,
      jpeg: latest,
    });
  });

  it('answers a file camera’s first frame before it is deployed, or while it sends none', async () => {
    for (const deployedType of [null, 'rtsp-in']) {
      const answer = await ask({ deployedType, url: demoClip() });
      assert.equal(answer.status, 200);
      assert.ok('jpeg' in answer && isJpeg(answer.jpeg));
    }
    const viaEnv = await ask({ url: '${CLIP}', env: { CLIP: demoClip() } });
    assert.equal(viaEnv.status, 200);
  });

  it('says why there is no picture, in words for the dialog', async () => {
    assert.deepEqual(await ask({ url: 'rtsp://10.0.0.9/a' }), {
      status: 404,
      text: "deploy the flow to see this camera's picture (a video file shows before deploying)",
    });
    const waiting = await ask({ url: 'rtsp://10.0.0.9/a', deployedType: 'rtsp-in' });
    assert.equal(waiting.status, 409);
    assert.match('text' in waiting ? waiting.text : '', /no picture yet/);
    const noFfmpeg = await ask({ url: demoClip(), ffmpegPath: null });
    assert.equal(noFfmpeg.status, 503);
    assert.match('text' in noFfmpeg ? noFfmpeg.text : '', /ffmpeg not found/);
    const notVideo = await ask({ url: __filename });
    assert.equal(notVideo.status, 422);
    assert.match('text' in notVideo ? notVideo.text : '', /no picture from/);
  });

  it('refuses an id that is no camera node', async () => {
    assert.deepEqual(await ask({ id: 'track', deployedType: 'tracker', latest }), {
      status: 404,
      text: 'node track is a tracker node, not a camera (rtsp-in)',
    });
    for (const id of ['', '../etc', 'a b', 'x'.repeat(65)]) {
      const answer = await ask({ id, url: demoClip() });
      assert.equal(answer.status, 404, JSON.stringify(id));
      assert.match('text' in answer ? answer.text : '', /no camera node/);
    }
  });
});
