import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_SOURCE, FfmpegFeatures, ffmpegOutputOptions } from '../../../nodes/lib/video/camera-source';
import { ffmpegHasFilter } from '../../../nodes/lib/video/ffmpeg-path';
import { demoClip, testTmp } from '../../../support/assets';
import { clipMjpegStream } from '../../../support/video/clip-frame';

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
