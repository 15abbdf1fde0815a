import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The clip served by a real RTSP server (GStreamer's, the one the tests use:
 * test/support/rtsp_server.py with Debian's python3-gi), for the benchmark's RTSP run.
 */
export class RtspCamera {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(projectRoot: string, clip: string, workDir: string): Promise<RtspCamera> {
    const mp4 = path.join(workDir, 'vtest-h264.mp4');
    if (!existsSync(mp4) || statSync(mp4).mtimeMs < statSync(clip).mtimeMs) {
      mkdirSync(workDir, { recursive: true });
      // Every 10th frame a keyframe, as a camera sends them.
      execFileSync('ffmpeg', [
        '-nostdin',
        '-loglevel',
        'error',
        '-y',
        '-i',
        clip,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
        '-g',
        '10',
        '-an',
        mp4,
      ]);
    }
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const script = path.join(projectRoot, 'test', 'support', 'rtsp_server.py');
    const child = spawn('/usr/bin/python3', [script, String(port), '/cam', mp4], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the RTSP server did not start: ${stderr}`)), 15000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('READY')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the RTSP server exited (${code}): ${stderr.trim().split('\n').pop()}`));
      });
    });
    return new RtspCamera(child, `rtsp://127.0.0.1:${port}/cam`);
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
