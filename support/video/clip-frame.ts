import { execFileSync } from 'node:child_process';
import { demoClip } from '../assets';

/**
 * The demo clip decoded by ffmpeg into a stream of JPEGs as rtsp-in sends them (quality 5), with
 * `options` (frame count, filters) placed before the output.
 */
export function clipMjpegStream(options: string[]): Buffer {
  return execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      demoClip(),
      ...options,
      '-c:v',
      'mjpeg',
      '-q:v',
      '5',
      '-f',
      'image2pipe',
      'pipe:1',
    ],
    { maxBuffer: 64 << 20 },
  );
}

/**
 * Frame number `n` (0-based, decode order) of the demo clip as a JPEG, optionally passed through an
 * ffmpeg filter (crop, scale) first.
 */
export function clipFrameJpeg(n: number, filter?: string): Buffer {
  const vf = [`select=eq(n\\,${n})`, ...(filter ? [filter] : [])].join(',');
  return clipMjpegStream(['-vf', vf, '-frames:v', '1']);
}
