import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../nodes/shared/package-root';

const root = packageRoot(__dirname);

/**
 * A real Node-RED runtime (node-red's red.js with the project's settings) in its own user directory
 * with a given flow: the process itself, so a SIGKILL kills the runtime (no launcher in between).
 */
export class NodeRedRuntime {
  child: ChildProcess | null = null;
  output = '';

  constructor(
    readonly name: string,
    readonly userDir: string,
    readonly port: number,
    flowFile: string,
    private readonly env: Record<string, string>,
  ) {
    const modules = path.join(userDir, 'node_modules');
    mkdirSync(modules, { recursive: true });
    const link = path.join(modules, 'node-red-contrib-store-analytics');
    rmSync(link, { recursive: true, force: true });
    symlinkSync(root, link, 'dir');
    if (!existsSync(path.join(userDir, 'flows.json')))
      copyFileSync(flowFile, path.join(userDir, 'flows.json'));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts it and waits until its flows have started. */
  async start(timeoutMs = 60_000): Promise<void> {
    const malloc = JSON.parse(
      readFileSync(path.join(root, 'scripts', 'malloc-settings.json'), 'utf8'),
    ) as Record<string, string>;
    const child = spawn(
      process.execPath,
      [
        require.resolve('node-red/red.js'),
        '--settings',
        path.join(root, 'node-red', 'settings.js'),
        '--userDir',
        this.userDir,
      ],
      {
        env: {
          ...process.env,
          ...malloc,
          ...this.env,
          PORT: String(this.port),
          NODE_RED_USER_DIR: this.userDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.output = '';
    // Also in node-red.log of its user directory, across restarts, to read after a run.
    const keep = (d: Buffer) => {
      this.output += d.toString();
      appendFileSync(path.join(this.userDir, 'node-red.log'), d);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes('Started flows')) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited at start:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not start its flows:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGKILL: as a power cut or the OOM killer would. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: a service manager's stop (Node-RED closes its nodes). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill(signal);
    });
  }
}
