import { execFileSync, spawn } from 'node:child_process';
import { JpegFrame, JpegSplitter } from '../../nodes/lib/image/jpeg-splitter';

/** A video file's frame rate, as ffmpeg reports it. */
export function frameRate(ffmpeg: string, input: string): number {
  // ffmpeg prints the stream's rate ("10 fps") on stderr when given no output.
  let text = '';
  try {
    execFileSync(ffmpeg, ['-hide_banner', '-i', input], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    text = String((err as { stderr?: Buffer }).stderr ?? '');
  }
  const match = /(\d+(?:\.\d+)?) fps/.exec(text) ?? /(\d+(?:\.\d+)?) tbr/.exec(text);
  if (!match) throw new Error(`cannot read the frame rate of ${input}: is it a video?`);
  return Number(match[1]);
}

/**
 * Every frame of a video file in decode order, as JPEG (as rtsp-in delivers them), at full speed.
 * `exited` resolves with ffmpeg's exit code once the frames are all read.
 */
export function videoJpegFrames(
  ffmpeg: string,
  input: string,
): { frames: AsyncIterable<JpegFrame>; exited: Promise<number | null> } {
  // prettier-ignore
  const decoder = spawn(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', input, '-an', '-vsync', 'passthrough',
      '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2pipe', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => decoder.on('close', resolve));
  return { frames: decoder.stdout.pipe(new JpegSplitter()) as AsyncIterable<JpegFrame>, exited };
}
