import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface FfmpegLocation {
  path: string;
  /** Where it was found, for the log. */
  origin: 'FFMPEG_PATH' | 'PATH' | '@ffmpeg-installer/ffmpeg';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds ffmpeg: the FFMPEG_PATH environment variable, else the first `ffmpeg` on PATH (the
 * system's, with hardware decoders and current codecs), else the static binary shipped by the
 * optional npm dependency `@ffmpeg-installer/ffmpeg`, so `npm install` alone gives a working node.
 * Returns null when there is none.
 */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegLocation | null {
  if (env.FFMPEG_PATH) {
    return isExecutable(env.FFMPEG_PATH) ? { path: env.FFMPEG_PATH, origin: 'FFMPEG_PATH' } : null;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'ffmpeg');
    if (isExecutable(candidate)) return { path: candidate, origin: 'PATH' };
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
    if (isExecutable(installer.path)) return { path: installer.path, origin: '@ffmpeg-installer/ffmpeg' };
  } catch {
    // optional dependency not installed
  }
  return null;
}

const filterLists = new Map<string, string>();

/**
 * Whether this ffmpeg has the video filter `name` (builds differ: zscale needs libzimg). Asked once
 * per ffmpeg binary (~50 ms) and remembered; an ffmpeg that cannot answer has none.
 */
export function ffmpegHasFilter(ffmpegPath: string, name: string): boolean {
  let list = filterLists.get(ffmpegPath);
  if (list === undefined) {
    try {
      list = execFileSync(ffmpegPath, ['-hide_banner', '-filters'], {
        encoding: 'utf8',
        timeout: 10000,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      list = '';
    }
    filterLists.set(ffmpegPath, list);
  }
  return new RegExp(`^\\s*\\S+\\s+${name}\\s`, 'm').test(list);
}
