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

/**
 * The first picture of a video file as JPEG, by ffmpeg (its own arguments, no shell); ffmpeg is
 * killed after `timeoutMs`, so it never hangs and never outlives the request.
 */
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
        if (err && (err as { killed?: boolean }).killed) {
          reject(new Error(`no picture from ${file} within ${Math.round(timeoutMs / 1000)} s`));
        } else if (err) {
          const detail = String(stderr).trim().split('\n').pop() || err.message;
          reject(new Error(`no picture from ${file}: ${detail}`));
        } else if (stdout.length < 4 || stdout[0] !== 0xff || stdout[1] !== 0xd8) {
          reject(new Error(`no picture from ${file}: it has no video`));
        } else resolve(stdout);
      },
    );
  });
}

/** Grabs running now, per ffmpeg and file: a dialog refreshed again and again starts one ffmpeg, not many. */
const grabs = new Map<string, Promise<Buffer>>();

/** grabFirstFrame, shared by the requests that ask for the same file while it runs. */
export function grabFirstFrameOnce(ffmpegPath: string, file: string, timeoutMs = 10000): Promise<Buffer> {
  const key = `${ffmpegPath}\0${file}`;
  let grab = grabs.get(key);
  if (!grab) {
    grab = grabFirstFrame(ffmpegPath, file, timeoutMs).finally(() => grabs.delete(key));
    grabs.set(key, grab);
  }
  return grab;
}

/** What the frame endpoint is asked, and what it knows of the node. */
export interface FrameRequest {
  /** The rtsp-in node's id (the path). */
  id: string;
  /** `?url=`: the camera URL as the editor has it (the node may not be deployed yet). */
  url: unknown;
  /** The running node's latest frame, if it has one. */
  latest: Buffer | undefined;
  /** The type of the deployed node with this id, or null when none is deployed under it. */
  deployedType: string | null;
  /** The ffmpeg to grab a file's frame with; null when there is none. */
  ffmpegPath: string | null;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export type FrameAnswer = { status: 200; jpeg: Buffer } | { status: number; text: string };

/** Node-RED node ids: 16 hex digits when made by the editor, any short word when imported. */
const NODE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The picture the counting nodes' dialogs draw on: the running camera's latest frame; else, for a
 * video file (before deploying, or a camera not streaming yet), its first frame; else why not, in
 * words the dialog shows (404: nothing to show here; 409: the camera is deployed but has no
 * picture yet; 422: the file gave none; 503: no ffmpeg).
 */
export async function answerFrame(request: FrameRequest): Promise<FrameAnswer> {
  const { id, deployedType } = request;
  if (!NODE_ID.test(id)) return { status: 404, text: `no camera node "${id}"` };
  if (deployedType !== null && deployedType !== 'rtsp-in') {
    return { status: 404, text: `node ${id} is a ${deployedType} node, not a camera (rtsp-in)` };
  }
  if (request.latest) return { status: 200, jpeg: request.latest };
  const file = localVideoFile(typeof request.url === 'string' ? request.url : '', request.env);
  if (file) {
    if (!request.ffmpegPath) {
      return {
        status: 503,
        text: 'ffmpeg not found: install ffmpeg (apt-get install ffmpeg) or set FFMPEG_PATH',
      };
    }
    try {
      return { status: 200, jpeg: await grabFirstFrameOnce(request.ffmpegPath, file, request.timeoutMs) };
    } catch (err) {
      return { status: 422, text: (err as Error).message };
    }
  }
  if (deployedType === 'rtsp-in') {
    return {
      status: 409,
      text: 'the camera has sent no picture yet (connecting, stopped or down): it shows once the camera streams',
    };
  }
  return {
    status: 404,
    text: "deploy the flow to see this camera's picture (a video file shows before deploying)",
  };
}
