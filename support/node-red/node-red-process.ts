import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseProcStat } from '../../nodes/lib/os/runtime-supervision';
import { projectRoot, testTmp } from '../assets';
import { freePort, waitFor } from '../processes';

/** Whether a process of this pid runs (a zombie, dead and not yet reaped, does not). */
export function isRunning(pid: number): boolean {
  try {
    const entry = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return entry !== null && entry.state !== 'Z';
  } catch {
    return false;
  }
}

/** Collects a Node-RED process's output into `sink.output` and waits until it has started its flows. */
export function untilFlowsStarted(
  child: ChildProcess,
  sink: { output: string },
  timeoutMs: number,
): Promise<boolean> {
  child.stdout!.on('data', (d: Buffer) => (sink.output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (sink.output += d.toString()));
  return waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`Node-RED exited early:\n${sink.output}`);
      return sink.output.includes('Started flows');
    },
    timeoutMs,
    'Node-RED to start its flows',
  );
}

/**
 * A real Node-RED 4 runtime started exactly as the README's run command does
 * (scripts/start-node-red.mjs, the shipped settings and flow), in a fresh user directory.
 */
export class NodeRedProcess {
  output = '';
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly userDir: string,
  ) {}

  /** Starts in a fresh user directory, or in `userDir` (a restart: the same flows and saved data). */
  static async start(env: Record<string, string> = {}, userDir?: string): Promise<NodeRedProcess> {
    mkdirSync(testTmp, { recursive: true });
    userDir ??= mkdtempSync(path.join(testTmp, 'node-red-'));
    const port = await freePort();
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      NODE_RED_USER_DIR: userDir,
      ...env,
    };
    if (!('CAMERA_URL' in env)) delete childEnv.CAMERA_URL;
    const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'start-node-red.mjs')], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const red = new NodeRedProcess(child, port, userDir!);
    await untilFlowsStarted(child, red, 30000);
    return red;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * The Node-RED runtime (red.js) the launcher runs now: its one child. After a crash the launcher
   * starts another, under a new pid.
   */
  runtimePid(): number | null {
    const out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
      if (m && Number(m[2]) === this.child.pid) return Number(m[1]);
    }
    return null;
  }

  /**
   * Kills the launcher and the runtime as a power cut would (SIGKILL, nobody cleans up; the ffmpeg
   * are left to die on their closed pipe). Killing the runtime alone is a crash: the launcher would
   * start it again.
   */
  async powerCut(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const runtime = this.runtimePid();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    if (runtime) process.kill(runtime, 'SIGKILL');
    await exited;
    if (runtime) await waitFor(() => !isRunning(runtime), 5000, 'the runtime to die');
  }

  /** Stops Node-RED as a service manager would (SIGTERM) and waits for it to exit. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGTERM');
    });
  }
}
