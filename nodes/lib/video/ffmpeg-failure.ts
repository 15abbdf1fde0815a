import type { SourceKind } from './camera-source';

/** Why ffmpeg stopped, in words a store manager can act on. */
export interface FfmpegFailure {
  /** Stable code for tests, metrics and Catch nodes. */
  code:
    | 'auth'
    | 'forbidden'
    | 'not-found'
    | 'refused'
    | 'unreachable'
    | 'dns'
    | 'transport'
    | 'no-file'
    | 'no-device'
    | 'not-video'
    | 'stalled'
    | 'ended'
    | 'ffmpeg-missing'
    | 'crashed'
    | 'unknown';
  message: string;
}

const RULES: ReadonlyArray<{ test: RegExp; kinds?: SourceKind[]; failure: FfmpegFailure }> = [
  {
    test: /401 Unauthorized|authorization failed/i,
    failure: { code: 'auth', message: 'camera refused the user name or password' },
  },
  {
    test: /403 Forbidden/i,
    failure: { code: 'forbidden', message: 'camera does not allow this user to watch the stream' },
  },
  {
    test: /404 Not Found|Stream not found|454 Session Not Found/i,
    failure: {
      code: 'not-found',
      message: 'camera has no stream at this address: check the path in the URL',
    },
  },
  {
    test: /461 Unsupported transport|Nonmatching transport/i,
    failure: {
      code: 'transport',
      message: 'camera does not support the chosen RTSP transport: try the other one (TCP/UDP)',
    },
  },
  {
    test: /Connection refused/i,
    failure: {
      code: 'refused',
      message:
        "camera refused the connection: check the host, the port and that the camera's stream is enabled",
    },
  },
  {
    test: /Name or service not known|Temporary failure in name resolution|Failed to resolve hostname|nodename nor servname/i,
    failure: { code: 'dns', message: 'camera host name not found: check the address in the URL' },
  },
  {
    test: /No route to host|Network is unreachable|Connection timed out|timed out|Operation timed out/i,
    failure: {
      code: 'unreachable',
      message: 'camera unreachable: check that it is powered on and on the network',
    },
  },
  {
    test: /No such file or directory/i,
    kinds: ['v4l2'],
    failure: {
      code: 'no-device',
      message: 'video device not found: check the device path (e.g. /dev/video0)',
    },
  },
  {
    test: /No such file or directory/i,
    failure: { code: 'no-file', message: 'video file not found: check the path' },
  },
  {
    test: /Invalid data found when processing input|could not find codec parameters|Output file #0 does not contain any stream/i,
    failure: { code: 'not-video', message: 'the source does not deliver a video stream ffmpeg can read' },
  },
];

/**
 * Maps ffmpeg's last error output to a failure a person can act on. Unrecognised output is kept
 * (last line) so nothing is hidden; the caller redacts secrets before showing it.
 */
export function explainFfmpegFailure(
  stderr: string,
  kind: SourceKind,
  exitCode: number | null,
  /** The signal that ended ffmpeg when it was not stopped by us (a crash: SIGSEGV, SIGABRT...). */
  signal?: string,
): FfmpegFailure {
  for (const rule of RULES) {
    if ((!rule.kinds || rule.kinds.includes(kind)) && rule.test.test(stderr)) return rule.failure;
  }
  const lastLine =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? '';
  if (signal)
    return { code: 'crashed', message: `ffmpeg crashed (${signal})${lastLine ? `: ${lastLine}` : ''}` };
  if (exitCode === 0 && !lastLine) {
    return { code: 'ended', message: kind === 'file' ? 'end of the video file' : 'camera ended the stream' };
  }
  return {
    code: 'unknown',
    message: `ffmpeg stopped${lastLine ? `: ${lastLine}` : ` (exit code ${exitCode})`}`,
  };
}
