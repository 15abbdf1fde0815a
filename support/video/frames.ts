import { JpegFrame, JpegSplitter } from '../../nodes/lib/image/jpeg-splitter';
import { clipMjpegStream } from './clip-frame';

let cache: Buffer[] | null = null;

/** The first 20 frames of the demo clip as JPEGs, as rtsp-in would send them. */
export async function clipJpegs(): Promise<Buffer[]> {
  if (cache) return cache;
  const stream = clipMjpegStream(['-frames:v', '20']);
  const splitter = new JpegSplitter();
  const frames: Buffer[] = [];
  splitter.on('data', (f: JpegFrame) => frames.push(f.jpeg));
  await new Promise<void>((resolve) => splitter.on('end', resolve).end(stream));
  cache = frames;
  return frames;
}
