import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { JpegFrame, JpegSplitter } from '../image/jpeg-splitter';
import { BackoffPolicy, DEFAULT_BACKOFF, reconnectDelayMs } from './backoff';
import {
  CameraSourceOptions,
  ffmpegInput,
  ffmpegOutputOptions,
  ffmpegOutputsWithThumbnail,
  sourceKind,
} from './camera-source';
import { explainFfmpegFailure, FfmpegFailure } from './ffmpeg-failure';
import { redact } from '../text/redact';
import { ffmpegHasFilter } from './ffmpeg-path';
import { ThumbnailSocket, type ThumbnailSize } from './thumbnail-socket';

/** A frame as it left the camera: a JPEG plus where and when it was captured. */
export interface CameraFrame extends JpegFrame {
  /** 1-based, counts every frame since this camera object was created (across reconnects). */
  seq: number;
  /** Capture time (ms since epoch) taken when the frame arrived from ffmpeg. */
  capturedAt: number;
  /**
   * With the `thumbnail` option: the newest small grey picture ffmpeg has made (one byte per pixel,
   * the option's size; it may be a frame behind the JPEG, as the two come on separate pipes), absent
   * until the first one came.
   */
  thumbnail?: Buffer;
}

export type CameraStatus =
  | { state: 'stopped' }
  | { state: 'connecting' }
  | { state: 'streaming'; fps: number }
  | { state: 'reconnecting'; retryInMs: number; failure: FfmpegFailure }
  | { state: 'ended' };

export interface FfmpegCameraOptions {
  source: CameraSourceOptions;
  ffmpegPath: string;
  /** No frame for this long (also while connecting) and ffmpeg is restarted. */
  stallTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** After SIGTERM, ffmpeg gets this long to exit before SIGKILL. */
  killTimeoutMs?: number;
  /** Also a small grey picture of each frame, made by ffmpeg beside the JPEG (for a motion gate). */
  thumbnail?: ThumbnailSize;
}

export interface FfmpegCameraEvents {
  frame: [CameraFrame];
  status: [CameraStatus];
  /** An attempt failed; the camera retries by itself unless stopped. Text is already redacted. */
  failure: [FfmpegFailure];
}

/** One ffmpeg run. */
interface Attempt {
  command: ffmpeg.FfmpegCommand;
  exited: Promise<void>;
  stderrTail: string[];
  /** Set when we end the run ourselves; the reason is reported instead of ffmpeg's exit. */
  endedBy?: 'stop' | FfmpegFailure;
  gotFrame: boolean;
  /** Where ffmpeg writes this run's thumbnails (with the `thumbnail` option). */
  thumbnails: ThumbnailSocket | null;
}

const STDERR_LINES_KEPT = 20;
const TICK_MS = 1000;

/**
 * Keeps one camera streaming through ffmpeg: starts it, turns its stdout into JPEG frames,
 * restarts it with backoff when the stream fails or stalls, and stops it for good (SIGTERM, then
 * SIGKILL after a deadline) without leaving a process behind. No Node-RED in here: the node binds
 * these events to messages and status.
 */
export class FfmpegCamera extends EventEmitter<FfmpegCameraEvents> {
  private readonly source: CameraSourceOptions;
  private readonly ffmpegPath: string;
  private readonly stallTimeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly killTimeoutMs: number;
  private readonly secrets: string[];
  /** Set to null for good when this ffmpeg turns out unable to write thumbnails. */
  private thumbnail: ThumbnailSize | null;

  private wanted = false;
  private attempt: Attempt | null = null;
  private failuresInARow = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryAt = 0;
  private lastFailure: FfmpegFailure | null = null;
  private tick: NodeJS.Timeout | null = null;
  private lastActivityAt = 0;
  private framesSinceTick = 0;
  private lastTickAt = 0;
  private seq = 0;
  /** zscale for the range conversion (see videoFilter): asked of this ffmpeg once, dropped if it fails. */
  private zscale: boolean | null = null;
  private current: CameraStatus = { state: 'stopped' };
  /** Set while a stop waits for ffmpeg to exit. */
  private stopping: Promise<void> | null = null;

  constructor(options: FfmpegCameraOptions) {
    super();
    this.source = options.source;
    this.ffmpegPath = options.ffmpegPath;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 10000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.killTimeoutMs = options.killTimeoutMs ?? 2000;
    this.secrets = [options.source.password ?? ''].filter(Boolean);
    this.thumbnail = options.thumbnail ?? null;
  }

  get status(): CameraStatus {
    return this.current;
  }

  /** Starts streaming; does nothing when already started. */
  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.failuresInARow = 0;
    this.startTicking();
    const stopping = this.stopping;
    if (!stopping) {
      this.spawn();
      return;
    }
    // A start right after a stop waits for the old ffmpeg to exit: never two connections at once
    // (many cameras allow only a few).
    void stopping.then(() => {
      if (this.wanted && !this.attempt && !this.retryTimer) this.spawn();
    });
  }

  /** Stops streaming and resolves once ffmpeg has exited. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    this.stopTicking();
    const ending = this.endAttempt('stop');
    this.stopping = ending;
    await ending;
    if (this.stopping === ending) this.stopping = null;
    if (!this.wanted) this.setStatus({ state: 'stopped' });
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** Text with the camera's password and any URL credentials masked. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  private spawn(): void {
    this.setStatus({ state: 'connecting' });
    this.lastActivityAt = Date.now();
    const splitter = new JpegSplitter();
    // stdoutLines bounds fluent-ffmpeg's own stdout and stderr line buffers (0 would be unbounded).
    const input = ffmpegInput(this.source);
    const features = { zscale: this.usesZscale() };
    const command = ffmpeg({ stdoutLines: STDERR_LINES_KEPT })
      .setFfmpegPath(this.ffmpegPath)
      .input(input.stdin === undefined ? input.target : Readable.from([input.stdin]))
      .inputOptions(['-hide_banner', '-nostdin', '-loglevel', 'error', ...input.options]);

    let markExited: () => void = () => {};
    const attempt: Attempt = {
      command,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      stderrTail: [],
      gotFrame: false,
      thumbnails: null,
    };
    this.attempt = attempt;

    command.on('start', () => {
      // stop() may have come while fluent-ffmpeg was still preparing the spawn.
      if (attempt.endedBy) command.kill('SIGTERM');
    });
    command.on('stderr', (line: string) => {
      attempt.stderrTail.push(line);
      if (attempt.stderrTail.length > STDERR_LINES_KEPT) attempt.stderrTail.shift();
    });
    const onExit = (err: (Error & { code?: number }) | null) => {
      attempt.thumbnails?.close();
      markExited();
      this.onAttemptExit(attempt, err);
    };
    command.on('error', (err: Error) => onExit(err));
    command.on('end', () => onExit(null));

    splitter.on('data', (frame: JpegFrame) => this.onFrame(attempt, frame));
    splitter.on('error', () => {
      /* the splitter never fails on input; ffmpeg's exit is what is reported */
    });
    const run = () => {
      if (attempt.endedBy) {
        // Stopped while the socket was being opened: ffmpeg never ran.
        attempt.thumbnails?.close();
        markExited();
        this.onAttemptExit(attempt, null);
        return;
      }
      if (attempt.thumbnails && this.thumbnail) {
        const outputs = ffmpegOutputsWithThumbnail(this.source, this.thumbnail, features);
        command
          .output(splitter, { end: true })
          .outputOptions(outputs.frames)
          .output(`unix:${attempt.thumbnails.path}`)
          .outputOptions(outputs.thumbnail);
      } else {
        command.output(splitter, { end: true }).outputOptions(ffmpegOutputOptions(this.source, features));
      }
      command.run();
    };
    if (!this.thumbnail) {
      run();
      return;
    }
    // Without a socket the camera runs without thumbnails rather than not at all.
    void ThumbnailSocket.open(this.thumbnail).then((socket) => {
      attempt.thumbnails = socket;
      run();
    });
  }

  private onFrame(attempt: Attempt, frame: JpegFrame): void {
    if (attempt !== this.attempt || attempt.endedBy) return;
    const now = Date.now();
    this.lastActivityAt = now;
    this.framesSinceTick++;
    if (!attempt.gotFrame) {
      attempt.gotFrame = true;
      this.failuresInARow = 0;
      this.lastFailure = null;
      this.lastTickAt = now;
      this.framesSinceTick = 1;
      this.setStatus({ state: 'streaming', fps: 0 });
    }
    this.seq++;
    // The newest thumbnail, even if the frame before had it too: the two pipes jitter against each
    // other, and a frame without one would have its picture decoded again.
    const thumbnail = attempt.thumbnails?.latest;
    this.emit('frame', { ...frame, seq: this.seq, capturedAt: now, ...(thumbnail ? { thumbnail } : {}) });
  }

  private usesZscale(): boolean {
    this.zscale ??= ffmpegHasFilter(this.ffmpegPath, 'zscale');
    return this.zscale;
  }

  private onAttemptExit(attempt: Attempt, err: (Error & { code?: number }) | null): void {
    if (attempt !== this.attempt) return;
    this.attempt = null;
    if (attempt.endedBy === 'stop' || !this.wanted) return;
    if (
      err &&
      !attempt.endedBy &&
      this.thumbnail &&
      /unix:|thumbnails\.sock/i.test(attempt.stderrTail.join('\n'))
    ) {
      // This ffmpeg cannot write the thumbnail output (a build without the unix protocol, say): the
      // camera goes on without thumbnails (yolo-detect then decodes the JPEG small) at once.
      this.thumbnail = null;
      this.spawn();
      return;
    }
    if (err && !attempt.endedBy && this.zscale && /zscale|zimg/i.test(attempt.stderrTail.join('\n'))) {
      // This camera's stream is one zscale cannot convert (e.g. colour properties it has no path
      // between): ffmpeg's own conversion from now on, at once - it is not the camera's fault.
      this.zscale = false;
      this.spawn();
      return;
    }

    const kind = sourceKind(this.source.url);
    let failure: FfmpegFailure;
    if (attempt.endedBy) {
      failure = attempt.endedBy;
    } else if (err && /ENOENT|Cannot find ffmpeg/i.test(err.message) && attempt.stderrTail.length === 0) {
      failure = { code: 'ffmpeg-missing', message: `ffmpeg could not be started (${this.ffmpegPath})` };
    } else {
      const exitCode = err ? (extractExitCode(err.message) ?? 1) : 0;
      const signal = err ? /killed with signal (\w+)/.exec(err.message)?.[1] : undefined;
      failure = explainFfmpegFailure(attempt.stderrTail.join('\n'), kind, exitCode, signal);
    }
    failure = { code: failure.code, message: this.redact(failure.message) };

    if (failure.code === 'ended' && kind === 'file' && !this.source.loop) {
      this.wanted = false;
      this.stopTicking();
      this.setStatus({ state: 'ended' });
      return;
    }
    this.emit('failure', failure);
    this.scheduleRetry(failure);
  }

  private scheduleRetry(failure: FfmpegFailure): void {
    const delay = reconnectDelayMs(this.failuresInARow++, this.backoff);
    this.lastFailure = failure;
    this.retryAt = Date.now() + delay;
    this.setStatus({ state: 'reconnecting', retryInMs: delay, failure });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.wanted) this.spawn();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Ends the running ffmpeg (if any): SIGTERM, SIGKILL after the deadline; resolves on exit. */
  private async endAttempt(reason: 'stop' | FfmpegFailure): Promise<void> {
    const attempt = this.attempt;
    if (!attempt) return;
    attempt.endedBy = reason;
    attempt.command.kill('SIGTERM');
    const deadline = setTimeout(() => attempt.command.kill('SIGKILL'), this.killTimeoutMs);
    try {
      await attempt.exited;
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Once a second: frame rate for the status, stall watchdog, reconnect countdown. */
  private startTicking(): void {
    this.stopTicking();
    this.lastTickAt = Date.now();
    this.tick = setInterval(() => this.onTick(), TICK_MS);
  }

  private stopTicking(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
  }

  private onTick(): void {
    const now = Date.now();
    const attempt = this.attempt;
    if (attempt && !attempt.endedBy && now - this.lastActivityAt > this.stallTimeoutMs) {
      const seconds = Math.round(this.stallTimeoutMs / 1000);
      const failure: FfmpegFailure = attempt.gotFrame
        ? { code: 'stalled', message: `no picture from the camera for ${seconds} s` }
        : { code: 'unreachable', message: `camera did not send a picture within ${seconds} s of connecting` };
      void this.endAttempt(failure);
      return;
    }
    if (this.current.state === 'streaming') {
      const elapsed = now - this.lastTickAt;
      const fps = elapsed > 0 ? (this.framesSinceTick * 1000) / elapsed : 0;
      this.framesSinceTick = 0;
      this.lastTickAt = now;
      this.setStatus({ state: 'streaming', fps });
    } else if (this.current.state === 'reconnecting' && this.lastFailure) {
      this.setStatus({
        state: 'reconnecting',
        retryInMs: Math.max(0, this.retryAt - now),
        failure: this.lastFailure,
      });
    }
  }

  private setStatus(status: CameraStatus): void {
    this.current = status;
    this.emit('status', status);
  }
}

function extractExitCode(message: string): number | null {
  const match = /exited with code (\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}
