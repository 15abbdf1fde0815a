import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { packageRoot } from '../nodes/shared/package-root';

// From the TypeScript sources (tests) or from dist/ (the compiled benchmark uses these too).
export const projectRoot = packageRoot(__dirname);
/** Scratch space for test runs (gitignored). */
export const testTmp = path.join(projectRoot, '.test-tmp');

/** The real pedestrian clip (768x576, 10 fps), fetched by `npm run fetch:footage`. */
export function demoClip(): string {
  const clip = path.join(projectRoot, 'media', 'vtest.avi');
  if (!existsSync(clip))
    throw new Error(`${clip} is missing: run 'npm run fetch:footage' (the README's install does)`);
  return clip;
}

/** Makes `out` with ffmpeg from `input` unless it is there and newer than the input (atomic: temp + mv). */
function madeOnce(out: string, input: string, args: string[]): string {
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(input).mtimeMs) {
    mkdirSync(testTmp, { recursive: true });
    const tmp = `${out}.${process.pid}.mp4`;
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, tmp]);
    execFileSync('mv', [tmp, out]);
  }
  return out;
}

/**
 * The clip encoded once as H.264 in MP4 under `name` (every 10th frame a keyframe, so a reconnecting
 * client gets a picture at once), with `filter` (an ffmpeg -vf) if given.
 */
function demoClipAsH264(name: string, filter?: string): string {
  const clip = demoClip();
  return madeOnce(path.join(testTmp, name), clip, [
    '-i',
    clip,
    ...(filter ? ['-vf', filter] : []),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '10',
    '-an',
  ]);
}

/** The clip as H.264 in MP4, which the RTSP test server streams. */
export function demoClipH264(): string {
  return demoClipAsH264('vtest-h264.mp4');
}

/** The H.264 clip played `times` times in a row (one file, no re-encoding): a camera for a long soak. */
export function demoClipH264Repeated(times: number): string {
  const once = demoClipH264();
  return madeOnce(path.join(testTmp, `vtest-h264-x${times}.mp4`), once, [
    '-stream_loop',
    String(times - 1),
    '-i',
    once,
    '-c',
    'copy',
  ]);
}

/** The clip at half size (384x288), as a second camera that differs from the first. */
export function demoClipHalfSize(): string {
  return demoClipAsH264('vtest-half.mp4', 'scale=384:288');
}

/**
 * The first 30 s of the clip with a grey pillar over x 400-540 (full height): people walking across the
 * plaza vanish behind it for about 2 s. As H.264, made once.
 */
export function demoClipWithPillar(): string {
  return demoClipAsH264(
    'vtest-pillar.mp4',
    'trim=end_frame=300,drawbox=x=400:y=0:w=140:h=576:color=gray:t=fill',
  );
}
