import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DetectRequest, DetectResult, DetectorOptions, ModelInfo } from './detector';
import { DetectorError } from './detector';
import type { FromWorker, ToWorker, WorkerInit } from './detector-worker';

export type DetectOutcome = { kind: 'done'; result: DetectResult } | { kind: 'dropped' };

interface Waiting {
  jpeg: Buffer;
  request: DetectRequest;
  resolve: (outcome: DetectOutcome) => void;
  reject: (err: Error) => void;
}

/**
 * One camera's handle on a shared detector. At most one of its frames waits: a newer frame
 * replaces it (the replaced one resolves as 'dropped' and is counted), so a camera faster than
 * the model never builds a queue.
 */
export class DetectorClient {
  dropped = 0;
  /** @internal */ waiting: Waiting | null = null;

  constructor(private readonly owner: SharedDetector) {}

  /** Detects in a frame; resolves 'dropped' when a newer frame from this client took its place. */
  detect(jpeg: Buffer, request: DetectRequest): Promise<DetectOutcome> {
    return new Promise((resolve, reject) => {
      if (this.waiting) {
        this.dropped++;
        this.waiting.resolve({ kind: 'dropped' });
      }
      this.waiting = { jpeg, request, resolve, reject };
      this.owner.pump();
    });
  }

  /** Leaves the detector; a waiting frame resolves as dropped. */
  close(): void {
    this.waiting?.resolve({ kind: 'dropped' });
    this.waiting = null;
    this.owner.removeClient(this);
  }
}

function startWorker(workerData: WorkerInit): Worker {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `detector-worker${ext}`);
  // ONNX Runtime recursed deeper than a worker's default 4 MB stack and crashed the whole process
  // (SIGSEGV inside libonnxruntime, seen in an embedded Node-RED runtime; 8 MB was enough): 32 MB
  // leaves room, and untouched stack costs no memory.
  const resourceLimits = { stackSizeMb: 32 };
  if (ext !== '.ts') return new Worker(file, { workerData, resourceLimits });
  // Running from TypeScript sources (tests, tools under tsx): load the worker through tsx too.
  const loader = require.resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(file)});`, {
    eval: true,
    workerData,
    resourceLimits,
  });
}

/**
 * One model in memory, in one worker thread, shared by every camera that uses the same model file
 * with the same settings. Frames are served one at a time (the session already uses every core),
 * taking the cameras in turn so each gets a fair share when the model is the bottleneck.
 */
export class SharedDetector {
  private static readonly instances = new Map<string, SharedDetector>();

  /** Gets (or starts) the shared detector for this model and settings; pair with release(). */
  static acquire(modelPath: string, options: DetectorOptions): SharedDetector {
    const key = JSON.stringify([path.resolve(modelPath), options.threads, options.executionProvider]);
    let instance = SharedDetector.instances.get(key);
    if (!instance || instance.broken) {
      instance = new SharedDetector(key, path.resolve(modelPath), options);
      SharedDetector.instances.set(key, instance);
    }
    instance.refs++;
    return instance;
  }

  /** Resolves with the model's description once loaded; rejects with a DetectorError. */
  readonly ready: Promise<ModelInfo>;
  private readonly worker: Worker;
  private refs = 0;
  private readonly clients: DetectorClient[] = [];
  private turn = 0;
  private inFlight: { id: number; waiting: Waiting } | null = null;
  private nextId = 1;
  private loaded = false;
  private broken: Error | null = null;
  private terminated: Promise<void> | null = null;

  private constructor(
    private readonly key: string,
    modelPath: string,
    options: DetectorOptions,
  ) {
    this.worker = startWorker({ modelPath, options });
    this.ready = new Promise<ModelInfo>((resolve, reject) => {
      this.worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            this.loaded = true;
            resolve(message.info);
            this.pump();
            return;
          case 'load-error':
            this.fail(new DetectorError(message.code as DetectorError['code'], message.message));
            reject(this.broken);
            return;
          case 'result':
          case 'error':
            this.onReply(message);
            return;
        }
      });
      this.worker.on('error', (err) => {
        this.fail(err);
        reject(err);
      });
      this.worker.on('exit', (code) => {
        if (!this.terminated) {
          const err =
            this.broken ?? new Error(`the detector thread stopped unexpectedly (exit code ${code})`);
          this.fail(err);
          reject(err);
        }
      });
    });
    // Callers await `ready`; this keeps an unobserved load failure from crashing the process.
    this.ready.catch(() => {});
  }

  client(): DetectorClient {
    const client = new DetectorClient(this);
    this.clients.push(client);
    return client;
  }

  /** Drops one reference; the worker and its session are freed when the last user releases. */
  async release(): Promise<void> {
    this.refs = Math.max(0, this.refs - 1);
    if (this.refs > 0) return;
    if (SharedDetector.instances.get(this.key) === this) SharedDetector.instances.delete(this.key);
    if (!this.terminated) {
      this.terminated = (async () => {
        if (this.loaded && !this.broken) this.worker.postMessage({ type: 'close' } satisfies ToWorker);
        // Give the session a moment to release, then make sure the thread is gone.
        const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
        await Promise.race([exited, timeout]);
        await this.worker.terminate();
      })();
    }
    for (const client of [...this.clients]) client.close();
    await this.terminated;
  }

  /** @internal */
  removeClient(client: DetectorClient): void {
    const i = this.clients.indexOf(client);
    if (i >= 0) this.clients.splice(i, 1);
  }

  /** @internal Sends the next waiting frame (cameras in turn) when the worker is free. */
  pump(): void {
    if (this.broken) {
      for (const client of this.clients) {
        client.waiting?.reject(this.broken);
        client.waiting = null;
      }
      return;
    }
    if (!this.loaded || this.inFlight || this.terminated) return;
    for (let n = 0; n < this.clients.length; n++) {
      const index = (this.turn + n) % this.clients.length;
      const client = this.clients[index];
      const waiting = client.waiting;
      if (!waiting) continue;
      client.waiting = null;
      this.turn = index + 1;
      const id = this.nextId++;
      this.inFlight = { id, waiting };
      // The frame is copied (~60 KB, microseconds), not transferred: msg.payload stays usable by
      // the other nodes wired to the same message.
      const jpeg = new Uint8Array(waiting.jpeg).buffer;
      this.worker.postMessage({ type: 'detect', id, jpeg, request: waiting.request } satisfies ToWorker, [
        jpeg,
      ]);
      return;
    }
  }

  private onReply(message: Extract<FromWorker, { type: 'result' | 'error' }>): void {
    const inFlight = this.inFlight;
    if (!inFlight || inFlight.id !== message.id) return;
    this.inFlight = null;
    if (message.type === 'result') inFlight.waiting.resolve({ kind: 'done', result: message.result });
    else inFlight.waiting.reject(new DetectorError(message.code as DetectorError['code'], message.message));
    this.pump();
  }

  private fail(err: Error): void {
    if (this.broken) return;
    this.broken = err;
    this.inFlight?.waiting.reject(err);
    this.inFlight = null;
    this.pump();
  }
}
