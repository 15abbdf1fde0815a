import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, testTmp } from '../../support/assets';
import { isRunning, NodeRedProcess } from '../../support/node-red/node-red-process';
import { freePort, waitFor } from '../../support/processes';
import type { StatisticsAnswer as Statistics } from '../../support/node-red/statistics-answer';
import type { FaultContext } from './fault';

export type { Statistics };

/** A node of a flow file, as far as the fault suite edits it. */
export interface FlowNode {
  id: string;
  type: string;
  [key: string]: unknown;
}

/** What support/node-red/runtime-probe.cjs reports from inside the Node-RED process. */
export interface ProbeReport {
  pid: number;
  resources: Record<string, number>;
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  routes: string[] | null;
  processListeners: number;
}

export interface StoreBoxOptions {
  /** CAMERA_URL for the default flow. */
  cameraUrl: string;
  env?: Record<string, string>;
  /** Changes to the shipped default flow before Node-RED starts. */
  editFlow?: (flow: FlowNode[]) => void;
  /** Start in this user directory (a restart) instead of a fresh one. */
  userDir?: string;
  /** Leave flows.json to the launcher (it builds one from CAMERA_URLS) instead of writing the default flow. */
  seedFromEnvironment?: boolean;
}

export function defaultFlow(): FlowNode[] {
  return JSON.parse(
    readFileSync(path.join(projectRoot, 'flows', 'store-analytics.json'), 'utf8'),
  ) as FlowNode[];
}

/**
 * The running flow with a second camera added as the README tells an integrator: one more rtsp-in
 * in the Cameras group, with its URL and a camera id of its own, wired like camera-1.
 */
export function withSecondCamera(flow: FlowNode[], url: string): FlowNode[] {
  const first = flow.find((n) => n.type === 'rtsp-in')!;
  const second: FlowNode = {
    ...first,
    id: 'added-camera-2',
    name: 'camera-2',
    cameraId: 'camera-2',
    url,
    y: 160,
  };
  const group = flow.find((n) => n.id === first.g);
  return [
    ...flow.map((n) => (n === group ? { ...n, nodes: [...(n.nodes as string[]), second.id] } : n)),
    second,
  ];
}

export function nodeOfType(flow: FlowNode[], type: string): FlowNode {
  const node = flow.find((n) => n.type === type);
  if (!node) throw new Error(`the default flow has no ${type} node`);
  return node;
}

export interface ProcessInfo {
  pid: number;
  args: string;
}

/** Direct children of `parent` whose command is `name`. */
export function childProcesses(parent: number, name: string): ProcessInfo[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,comm=,args=', '-ww'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) === parent && m[3] === name)
    .map((m) => ({ pid: Number(m[1]), args: m[4] }));
}

/** Whether a process of this pid is running (a zombie, dead and not yet reaped, is not). */
export const isAlive = isRunning;

/**
 * The store PC of the fault suite: the shipped default flow in a real Node-RED started like
 * `npm start` (with the runtime probe preloaded), watching CAMERA_URL.
 */
export class StoreBox {
  /** Every ffmpeg Node-RED ran while watched, and the most that ran at once. */
  readonly ffmpegSeen = new Set<number>();
  maxFfmpegAtOnce = 0;
  /** Set once the box was killed on purpose (its exit code then says nothing). */
  killed = false;
  /** Every Node-RED runtime seen, in turn: more than one after a crash and the launcher's restart. */
  readonly runtimes: number[] = [];
  private readonly watcher: NodeJS.Timeout;
  private pid: number | null = null;

  private constructor(
    readonly red: NodeRedProcess,
    private readonly probePort: number,
  ) {
    this.watcher = setInterval(() => this.ffmpeg(), 500);
  }

  static async start(options: StoreBoxOptions): Promise<StoreBox> {
    let userDir = options.userDir;
    if (!userDir) {
      mkdirSync(testTmp, { recursive: true });
      userDir = mkdtempSync(path.join(testTmp, 'faults-'));
      if (!options.seedFromEnvironment) {
        const flow = defaultFlow();
        options.editFlow?.(flow);
        writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
      }
    }
    const probePort = await freePort();
    const red = await NodeRedProcess.start(
      {
        CAMERA_URL: options.cameraUrl,
        RUNTIME_PROBE_PORT: String(probePort),
        NODE_OPTIONS: `--require ${path.join(projectRoot, 'support', 'node-red', 'runtime-probe.cjs')} --expose-gc`,
        ...options.env,
      },
      userDir,
    );
    const box = new StoreBox(red, probePort);
    try {
      await waitFor(() => box.runtimePid(), 5000, 'the Node-RED runtime process');
    } catch (err) {
      await box.stop();
      throw err;
    }
    return box;
  }

  get url(): string {
    return this.red.url;
  }

  get userDir(): string {
    return this.red.userDir;
  }

  /** Where the default flow's heatmap-store writes (unless the flow was edited). */
  get savedHeatmaps(): string {
    return path.join(this.userDir, 'data', 'saved_heatmaps');
  }

  /**
   * The Node-RED runtime (red.js) that scripts/start-node-red.mjs runs now; after a crash, the one
   * it started again.
   */
  runtimePid(): number | null {
    if (this.pid && isRunning(this.pid)) return this.pid;
    this.pid = this.red.runtimePid();
    if (this.pid && !this.runtimes.includes(this.pid)) this.runtimes.push(this.pid);
    return this.pid;
  }

  /** The ffmpeg processes Node-RED runs now. */
  ffmpeg(): ProcessInfo[] {
    const pid = this.runtimePid();
    const running = pid ? childProcesses(pid, 'ffmpeg') : [];
    for (const p of running) this.ffmpegSeen.add(p.pid);
    this.maxFfmpegAtOnce = Math.max(this.maxFfmpegAtOnce, running.length);
    return running;
  }

  /** ffmpeg processes this Node-RED started that still run (after a stop: leaked). */
  ffmpegLeftBehind(): number[] {
    return [...this.ffmpegSeen].filter(isAlive);
  }

  async statistics(): Promise<Statistics> {
    const res = await fetch(`${this.url}/statistics?format=json`);
    if (res.status !== 200) throw new Error(`/statistics answered ${res.status}`);
    return (await res.json()) as Statistics;
  }

  /** Polls /statistics until `check` holds (a deploy briefly takes the endpoint away: that is retried). */
  waitForStatistics(check: (s: Statistics) => boolean, timeoutMs: number, what: string): Promise<Statistics> {
    return waitFor(
      async () => {
        const s = await this.statistics().catch(() => null);
        return s && check(s) ? s : null;
      },
      timeoutMs,
      what,
    );
  }

  async probe(): Promise<ProbeReport> {
    return (await (await fetch(`http://127.0.0.1:${this.probePort}/`)).json()) as ProbeReport;
  }

  /** Length of the log so far: pass it to `logSince` to read what came after. */
  logMark(): number {
    return this.red.output.length;
  }

  logSince(mark = 0): string {
    return this.red.output.slice(mark);
  }

  /** The launcher's report of the first crash of Node-RED since `mark`, or null if it did not crash. */
  crashSince(mark = 0): string | null {
    return /\[supervisor\] (Node-RED stopped after .*)/.exec(this.logSince(mark))?.[1] ?? null;
  }

  /** Error lines Node-RED logged since `mark`. */
  errorsSince(mark = 0, match?: RegExp): string[] {
    return this.logSince(mark)
      .split('\n')
      .filter((line) => line.includes('[error]') && (!match || match.test(line)));
  }

  async flows(): Promise<FlowNode[]> {
    const res = await fetch(`${this.url}/admin/flows`, { headers: { 'Node-RED-API-Version': 'v1' } });
    return (await res.json()) as FlowNode[];
  }

  /** A full deploy, as the editor's Deploy button does. */
  async deploy(flow: FlowNode[]): Promise<void> {
    const res = await fetch(`${this.url}/admin/flows`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Node-RED-API-Version': 'v1',
        'Node-RED-Deployment-Type': 'full',
      },
      body: JSON.stringify(flow),
    });
    if (res.status !== 200 && res.status !== 204) throw new Error(`deploy answered ${res.status}`);
  }

  /** Presses an inject node's button, as in the editor. */
  async inject(id: string): Promise<void> {
    const res = await fetch(`${this.url}/admin/inject/${id}`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`inject ${id} answered ${res.status}`);
  }

  /** Stops Node-RED as a service manager would (SIGTERM); resolves with its exit code. */
  async stop(): Promise<number | null> {
    this.ffmpeg();
    clearInterval(this.watcher);
    return this.red.stop();
  }

  /**
   * Kills the box as a power cut would: the launcher and the runtime (SIGKILL), nobody cleans up,
   * its ffmpeg is left to die on a closed pipe.
   */
  async kill(): Promise<void> {
    this.killed = true;
    this.ffmpeg();
    clearInterval(this.watcher);
    await this.red.powerCut();
  }

  /**
   * Crashes the runtime alone, leaving the launcher to start it again: `SIGKILL` as the out-of-memory
   * killer does, or `abort` as a native crash does (the runtime probe writes a C++ runtime's last
   * words to stderr and raises SIGABRT in itself, as abort() does). Resolves with the dead runtime's
   * pid once it is gone.
   */
  async crashRuntime(how: 'SIGKILL' | 'abort'): Promise<number> {
    this.ffmpeg();
    const pid = this.runtimePid();
    if (!pid) throw new Error('no Node-RED runtime to crash');
    if (how === 'abort') {
      // No answer: the connection dies with the process.
      await fetch(`http://127.0.0.1:${this.probePort}/abort`, { method: 'POST' }).catch(() => undefined);
    } else {
      process.kill(pid, how);
    }
    await waitFor(() => !isRunning(pid), 10000, `the runtime to die (${how})`);
    return pid;
  }
}

/**
 * Starts a store box for a fault; when the fault ends it is stopped with SIGTERM and must leave no
 * ffmpeg behind (checked).
 */
export async function openStoreBox(ctx: FaultContext, options: StoreBoxOptions): Promise<StoreBox> {
  const box = await StoreBox.start(options);
  ctx.defer(async () => {
    const mark = box.logMark();
    const code = await box.stop();
    // The launcher kills what a stopped Node-RED left running, and says so: after a stop it asked
    // for, that is a leak of Node-RED's (it stops its ffmpeg itself).
    const killedByLauncher = /\[supervisor\] (killed .*left running.*)/.exec(box.logSince(mark))?.[1];
    if (killedByLauncher) ctx.check(false, `after the stop the launcher ${killedByLauncher}`);
    const left = await waitFor(() => box.ffmpegLeftBehind().length === 0, 5000, 'ffmpeg to exit').catch(
      () => false,
    );
    const leaked = box.ffmpegLeftBehind();
    for (const pid of leaked) process.kill(pid, 'SIGKILL');
    ctx.check(
      left === true && (code === 0 || box.killed),
      leaked.length > 0
        ? `${leaked.length} ffmpeg left running`
        : box.killed
          ? 'killed, no ffmpeg left'
          : `stopped cleanly (exit ${code}), no ffmpeg left`,
    );
  });
  return box;
}
