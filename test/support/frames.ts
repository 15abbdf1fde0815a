import { execFileSync } from 'node:child_process';
import { JpegFrame, JpegSplitter } from '../../nodes/lib/image/jpeg-splitter';
import { demoClip } from './assets';

let cache: Buffer[] | null = null;

/** The first 20 frames of the demo clip as JPEGs, as rtsp-in would send them. */
export async function clipJpegs(): Promise<Buffer[]> {
  if (cache) return cache;
  const stream = execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      demoClip(),
      '-frames:v',
      '20',
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
  const splitter = new JpegSplitter();
  const frames: Buffer[] = [];
  splitter.on('data', (f: JpegFrame) => frames.push(f.jpeg));
  await new Promise<void>((resolve) => splitter.on('end', resolve).end(stream));
  cache = frames;
  return frames;
}
