import path from 'node:path';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import {
  CameraSourceOptions,
  DEFAULT_SOURCE,
  FfmpegFeatures,
  ffmpegInput,
  ffmpegInputOptions,
  ffmpegInputUrl,
  ffmpegOutputOptions,
  sourceKind,
  validateSourceOptions,
  videoFilter,
} from '../../../nodes/lib/video/camera-source';
import { ffmpegHasFilter } from '../../../nodes/lib/video/ffmpeg-path';
import { demoClip, testTmp } from '../../../support/assets';
import { clipMjpegStream } from '../../../support/video/clip-frame';

const base: CameraSourceOptions = { ...DEFAULT_SOURCE, url: 'rtsp://10.0.0.5:554/stream1' };

/** One frame of `input` (`seekS` in) as rtsp-in's ffmpeg sends it, decoded to RGB by libvips. */
async function frameAsSent(input: string, features: FfmpegFeatures, seekS = 5): Promise<Buffer> {
  const jpeg = execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-ss', String(seekS), '-i', input, '-frames:v', '1'],
      ...ffmpegOutputOptions({ ...DEFAULT_SOURCE, url: input }, features),
      'pipe:1',
    ],
    { maxBuffer: 16 << 20 },
  );
  return sharp(jpeg).removeAlpha().raw().toBuffer();
}

function difference(a: Buffer, b: Buffer): { mean: number; max: number } {
  assert.equal(a.length, b.length);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

describe('camera source options', () => {
  it('recognises each kind of source', () => {
    assert.equal(sourceKind('rtsp://cam/1'), 'rtsp');
    assert.equal(sourceKind('RTSPS://cam/1'), 'rtsp');
    assert.equal(sourceKind('http://cam/mjpeg'), 'http');
    assert.equal(sourceKind('https://cam/mjpeg'), 'http');
    assert.equal(sourceKind('/dev/video0'), 'v4l2');
    assert.equal(sourceKind('/data/clip.mp4'), 'file');
    assert.equal(sourceKind('file:///data/clip.mp4'), 'file');
  });

  it('puts credentials into the URL percent-encoded', () => {
    assert.equal(
      ffmpegInputUrl({ ...base, user: 'ad min', password: 'p@ss:word/1' }),
      'rtsp://ad%20min:p%40ss%3Aword%2F1@10.0.0.5:554/stream1',
    );
    assert.equal(ffmpegInputUrl(base), base.url);
    assert.equal(ffmpegInputUrl({ ...base, url: 'file:///data/a%20b.mp4' }), '/data/a%20b.mp4');
  });

  it('hands a URL with credentials to ffmpeg on stdin, not on its command line', () => {
    const input = ffmpegInput({ ...base, user: 'ad min', password: "it's:p@ss" });
    assert.equal(input.target, 'pipe:0');
    assert.ok(!input.options.join(' ').includes('p@ss') && !input.options.join(' ').includes('10.0.0.5'));
    assert.deepEqual(input.options.slice(-6), [
      '-f',
      'concat',
      '-safe',
      '0',
      '-protocol_whitelist',
      'pipe,rtsp,rtsps,rtp,srtp,tcp,udp,tls,http,https,httpproxy,crypto',
    ]);
    assert.equal(
      input.stdin,
      [
        'ffconcat version 1.0',
        "file 'rtsp://ad%20min:it'\\''s%3Ap%40ss@10.0.0.5:554/stream1'",
        "option rtsp_transport 'tcp'",
        "option analyzeduration '500000'",
        "option probesize '500000'",
        '',
      ].join('\n'),
    );
    // Without credentials there is nothing to hide.
    assert.deepEqual(ffmpegInput(base), { target: base.url, options: ffmpegInputOptions(base) });
    assert.deepEqual(
      ffmpegInput({ ...base, url: 'clip.mp4', password: 'x' }).target,
      path.resolve('clip.mp4'),
    );
  });

  it('selects the RTSP transport, V4L2 and file playback options', () => {
    const shortProbe = ['-analyzeduration', '500000', '-probesize', '500000'];
    assert.deepEqual(ffmpegInputOptions(base), ['-rtsp_transport', 'tcp', ...shortProbe]);
    assert.deepEqual(ffmpegInputOptions({ ...base, transport: 'udp' }), [
      '-rtsp_transport',
      'udp',
      ...shortProbe,
    ]);
    assert.deepEqual(ffmpegInputOptions({ ...base, url: 'http://cam/video.mjpg' }), shortProbe);
    assert.deepEqual(ffmpegInputOptions({ ...base, url: '/dev/video0' }), ['-f', 'v4l2']);
    assert.deepEqual(ffmpegInputOptions({ ...base, url: 'clip.mp4', loop: true }), [
      '-re',
      '-stream_loop',
      '-1',
    ]);
    assert.deepEqual(ffmpegInputOptions({ ...base, url: 'clip.mp4', realtime: false }), []);
  });

  it('scales keeping the aspect ratio and limits the frame rate', () => {
    assert.equal(videoFilter(base), null);
    assert.equal(videoFilter({ ...base, fps: 5 }), 'fps=5');
    assert.equal(videoFilter({ ...base, width: 640 }), 'scale=640:-2');
    assert.equal(videoFilter({ ...base, height: 360 }), 'scale=-2:360');
    assert.equal(
      videoFilter({ ...base, fps: 2.5, width: 640, height: 640 }),
      'fps=2.5,scale=640:640:force_original_aspect_ratio=decrease',
    );
    // The range conversion for the JPEG encoder comes last, after the size is final.
    assert.equal(videoFilter(base, { zscale: true }), 'zscale=range=full');
    assert.equal(
      videoFilter({ ...base, fps: 5, width: 640 }, { zscale: true }),
      'fps=5,scale=640:-2,zscale=range=full',
    );
    const out = ffmpegOutputOptions({ ...base, width: 320 });
    assert.deepEqual(out.slice(out.indexOf('-vf'), out.indexOf('-vf') + 2), ['-vf', 'scale=320:-2']);
    assert.deepEqual(out.slice(-2), ['-f', 'image2pipe']);
  });

  it('explains bad settings', () => {
    assert.equal(validateSourceOptions(base), null);
    assert.match(validateSourceOptions({ ...base, url: ' ' }) ?? '', /no camera URL/);
    assert.match(validateSourceOptions({ ...base, url: 'rtsp://[bad' }) ?? '', /not a valid URL/);
    assert.match(validateSourceOptions({ ...base, fps: -1 }) ?? '', /frame rate/);
    assert.match(validateSourceOptions({ ...base, width: 12.5 }) ?? '', /width and height/);
    assert.match(validateSourceOptions({ ...base, jpegQuality: 1 }) ?? '', /JPEG quality/);
    assert.match(validateSourceOptions({ ...base, transport: 'http' as never }) ?? '', /transport/);
  });
});

describe('colour range of the frames ffmpeg sends (real ffmpeg)', () => {
  it('knows which filters an ffmpeg has', () => {
    assert.equal(ffmpegHasFilter('ffmpeg', 'zscale'), true, "Debian's ffmpeg is built with libzimg");
    assert.equal(ffmpegHasFilter('ffmpeg', 'scale'), true);
    assert.equal(ffmpegHasFilter('ffmpeg', 'no_such_filter'), false);
    assert.equal(ffmpegHasFilter('/nonexistent/ffmpeg', 'zscale'), false);
  });

  it("gives a limited-range camera the same pixels through zscale as through ffmpeg's own conversion", async () => {
    const own = await frameAsSent(demoClip(), { zscale: false });
    const zscale = await frameAsSent(demoClip(), { zscale: true });
    const d = difference(own, zscale);
    assert.ok(d.mean < 0.05 && d.max <= 2, `mean ${d.mean.toFixed(3)}, max ${d.max}`);
  });

  it('leaves a full-range source (an MJPEG camera) as it is', async () => {
    mkdirSync(testTmp, { recursive: true });
    const mjpeg = path.join(testTmp, 'full-range.mjpeg');
    writeFileSync(mjpeg, clipMjpegStream(['-ss', '5', '-frames:v', '1']));
    const own = await frameAsSent(mjpeg, { zscale: false }, 0);
    const zscale = await frameAsSent(mjpeg, { zscale: true }, 0);
    const d = difference(own, zscale);
    // Stretched a second time, the picture would lose its darkest and lightest tones (mean ~ +5).
    assert.ok(d.mean < 0.05 && d.max <= 2, `mean ${d.mean.toFixed(3)}, max ${d.max}`);
  });
});
