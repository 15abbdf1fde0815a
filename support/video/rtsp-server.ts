import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { demoClipH264, projectRoot } from '../assets';
import { freePort } from '../processes';

export interface RtspServerOptions {
  port?: number;
  mount?: string;
  user?: string;
  password?: string;
  /** H.264 MP4 to stream; the demo clip by default. */
  file?: string;
}

/**
 * A real RTSP camera: GStreamer's RTSP server (support/video/rtsp_server.py, run with Debian's
 * /usr/bin/python3, which has the GObject bindings) streaming the demo clip in real time.
 */
export class RtspTestServer {
  readonly port: number;
  readonly mount: string;
  private child: ChildProcess | null = null;

  private constructor(
    port: number,
    private readonly options: RtspServerOptions,
  ) {
    this.port = port;
    this.mount = options.mount ?? '/cam';
  }

  static async start(options: RtspServerOptions = {}): Promise<RtspTestServer> {
    const server = new RtspTestServer(options.port ?? (await freePort()), options);
    await server.start();
    return server;
  }

  /** rtsp:// URL without credentials. */
  get url(): string {
    return `rtsp://127.0.0.1:${this.port}${this.mount}`;
  }

  async start(): Promise<void> {
    const file = this.options.file ?? demoClipH264();
    const script = path.join(projectRoot, 'support', 'video', 'rtsp_server.py');
    const args = [script, String(this.port), this.mount, file];
    if (this.options.user !== undefined) args.push(this.options.user, this.options.password ?? '');
    const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`RTSP server did not start: ${stderr}`)), 15000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('READY')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`RTSP server exited with ${code}: ${stderr}`));
      });
    });
  }

  /** Kills the server as a camera losing power would (SIGKILL) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is sent, as a hung camera. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  stop(): Promise<void> {
    return this.kill('SIGTERM');
  }
}
