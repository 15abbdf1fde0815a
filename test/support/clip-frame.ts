import { execFileSync } from 'node:child_process';
import { demoClip } from './assets';

/**
 * Frame number `n` (0-based, decode order) of the demo clip as a JPEG like rtsp-in sends
 * (quality 5), optionally passed through an ffmpeg filter (crop, scale) first.
 */
export function clipFrameJpeg(n: number, filter?: string): Buffer {
  const vf = [`select=eq(n\\,${n})`, ...(filter ? [filter] : [])].join(',');
  return execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      demoClip(),
      '-vf',
      vf,
      '-frames:v',
      '1',
      '-c:v',
      'mjpeg',
      '-q:v',
      '5',
      '-f',
      'image2pipe',
      'pipe:1',
    ],
    { maxBuffer: 16 << 20 },
  );
}
