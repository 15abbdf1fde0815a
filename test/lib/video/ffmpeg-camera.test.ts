import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CameraStatus, FfmpegCamera } from '../../../nodes/lib/video/ffmpeg-camera';
import { CameraSourceOptions, DEFAULT_SOURCE } from '../../../nodes/lib/video/camera-source';
import { demoClip, testTmp } from '../../../support/assets';
import { ffmpegProcessesWith, waitFor } from '../../../support/processes';

const source = (url: string): CameraSourceOptions => ({ ...DEFAULT_SOURCE, url, loop: true });

/** A stand-in for ffmpeg: a shell script in the test folder, called like ffmpeg. */
function fakeFfmpeg(name: string, script: string): string {
  mkdirSync(testTmp, { recursive: true });
  const file = path.join(testTmp, name);
  writeFileSync(file, `#!/bin/sh\n${script}`);
  chmodSync(file, 0o755);
  return file;
}

/**
 * An "ffmpeg" that ignores SIGTERM, as a process stuck in a blocking call can: it forwards
 * fluent-ffmpeg's capability queries to the real ffmpeg and otherwise just hangs.
 */
const stubbornFfmpeg = () =>
  fakeFfmpeg(
    'stubborn-ffmpeg',
    `case "$*" in *-formats*|*-encoders*|*-codecs*|*-filters*) exec ffmpeg "$@";; esac
trap '' TERM
while true; do sleep 0.1; done
`,
  );

/**
 * An ffmpeg whose zscale cannot convert the camera's stream (as zimg answers colour properties it
 * has no path between): it lists zscale, then fails every run that uses it, and runs the rest.
 */
const ffmpegWithFailingZscale = () =>
  fakeFfmpeg(
    'zscale-failing-ffmpeg',
    `case "$*" in *zscale=*) echo "[Parsed_zscale_0 @ 0x55d0] code 3074: no path between colorspaces" >&2; exit 1;; esac
exec ffmpeg "$@"
`,
  );

describe('ffmpeg camera process', function () {
  this.timeout(20000);

  it('SIGKILLs an ffmpeg that ignores SIGTERM, within the deadline, and leaves nothing behind', async () => {
    const marker = path.join(testTmp, 'stubborn-camera.mp4');
    const camera = new FfmpegCamera({
      source: source(marker),
      ffmpegPath: stubbornFfmpeg(),
      killTimeoutMs: 1000,
    });
    camera.start();
    await waitFor(() => ffmpegProcessesWith(marker).length === 1, 5000, 'the stub to start');
    const started = Date.now();
    await camera.stop();
    const took = Date.now() - started;
    assert.ok(took >= 900, `stop() waited for the deadline (${took} ms)`);
    assert.equal(ffmpegProcessesWith(marker).length, 0);
    assert.deepEqual(camera.status, { state: 'stopped' });
  });

  it('starts again only after the old ffmpeg is gone: never two connections to the camera', async () => {
    const marker = path.join(testTmp, 'restarted-camera.mp4');
    const camera = new FfmpegCamera({
      source: source(marker),
      ffmpegPath: stubbornFfmpeg(),
      killTimeoutMs: 1000,
    });
    try {
      camera.start();
      await waitFor(() => ffmpegProcessesWith(marker).length === 1, 5000, 'the stub to start');
      const stopping = camera.stop(); // the stub holds on for a second (SIGTERM ignored)
      camera.start();
      let most = 0;
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        most = Math.max(most, ffmpegProcessesWith(marker).length);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await stopping;
      assert.equal(most, 1, 'at most one ffmpeg at any time');
      await waitFor(() => ffmpegProcessesWith(marker).length === 1, 5000, 'the new ffmpeg');
      assert.equal(camera.status.state, 'connecting');
    } finally {
      await camera.stop();
    }
    assert.equal(ffmpegProcessesWith(marker).length, 0);
  });

  it("falls back to ffmpeg's own range conversion at once when zscale fails on a stream", async () => {
    const camera = new FfmpegCamera({ source: source(demoClip()), ffmpegPath: ffmpegWithFailingZscale() });
    const failures: string[] = [];
    camera.on('failure', (f) => failures.push(f.message));
    let frames = 0;
    camera.on('frame', () => frames++);
    try {
      camera.start();
      await waitFor(() => frames >= 3, 5000, 'frames without zscale');
    } finally {
      await camera.stop();
    }
    assert.deepEqual(failures, [], 'not reported as a camera failure, and no reconnect delay');
  });

  it('stops cleanly when stopped while ffmpeg is still being started', async () => {
    const clip = demoClip();
    const camera = new FfmpegCamera({ source: source(clip), ffmpegPath: 'ffmpeg' });
    const states: CameraStatus['state'][] = [];
    camera.on('status', (s) => states.push(s.state));
    camera.start();
    await camera.stop();
    assert.equal(states[states.length - 1], 'stopped');
    await waitFor(() => ffmpegProcessesWith(clip).length === 0, 3000, 'no ffmpeg');
  });

  it('writes a grey thumbnail beside each JPEG through a private socket, removed at stop, and old ones of dead processes', async () => {
    // A socket directory left by a process that is gone (killed with SIGKILL).
    const dead = spawnSync('true').pid!;
    const stale = path.join(tmpdir(), `store-analytics-thumbnails-${dead}-test`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, 'thumbnails.sock'), '');
    const ours = () =>
      readdirSync(tmpdir()).filter((n) => n.startsWith(`store-analytics-thumbnails-${process.pid}-`));
    const camera = new FfmpegCamera({
      source: source(demoClip()),
      ffmpegPath: 'ffmpeg',
      thumbnail: { width: 96, height: 72 },
    });
    const thumbnails: Buffer[] = [];
    camera.on('frame', (f) => f.thumbnail && thumbnails.push(f.thumbnail));
    try {
      camera.start();
      await waitFor(() => thumbnails.length >= 5, 10000, 'frames with a thumbnail');
      assert.equal(ours().length, 1, 'one socket directory of this process while streaming');
    } finally {
      await camera.stop();
    }
    assert.ok(thumbnails.every((t) => t.length === 96 * 72));
    assert.equal(existsSync(stale), false, 'the dead process directory removed');
    assert.deepEqual(ours(), [], 'its own directory removed at stop');
  });
});
