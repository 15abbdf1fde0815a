import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The local video file a camera URL names, with ${VAR} references resolved from `env` (as Node-RED
 * does at deploy), or null when it is not a file on this machine (a stream: only the running camera
 * has its picture).
 */
export function localVideoFile(url: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const resolved = url.trim().replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name.trim()] ?? '');
  if (resolved === '') return null;
  let file = resolved;
  if (/^file:/i.test(resolved)) {
    try {
      file = fileURLToPath(resolved);
    } catch {
      return null;
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(resolved)) {
    return null;
  }
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** The first picture of a video file as JPEG, by ffmpeg; killed after `timeoutMs`, so it never hangs. */
export function grabFirstFrame(ffmpegPath: string, file: string, timeoutMs = 10000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegPath,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-i',
        file,
        '-frames:v',
        '1',
        '-f',
        'image2pipe',
        '-c:v',
        'mjpeg',
        '-q:v',
        '3',
        'pipe:1',
      ],
      { encoding: 'buffer', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const detail = String(stderr).trim().split('\n').pop() || err.message;
          reject(new Error(`no picture from ${file}: ${detail}`));
        } else if (stdout.length < 4 || stdout[0] !== 0xff || stdout[1] !== 0xd8) {
          reject(new Error(`no picture from ${file}: it has no video`));
        } else resolve(stdout);
      },
    );
  });
}
