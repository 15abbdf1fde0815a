import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DetectRequest, DetectResult, DetectorOptions, InferenceRuns, ModelInfo } from './detector';
import { DetectorError } from './detector';
import type { FromWorker, ToWorker, WorkerInit } from './detector-worker';
import { AutoInputSize, DEFAULT_AUTO_INPUT_SIZE } from './auto-input-size';
import { DetectionScheduler, type Urgency } from './detection-scheduler';
import type { InputSizeSetting } from './input-size-setting';

export type DetectOutcome = { kind: 'done'; result: DetectResult } | { kind: 'dropped' };

export interface SharedDetectorOptions extends Omit<DetectorOptions, 'inputSize'> {
  /**
   * yolo-model's Input size: a long side, 0 (the model's own size) or 'auto': the long side
   * follows the load (AutoInputSize), chosen here for each frame sent.
   */
  inputSize?: InputSizeSetting;
  /**
   * Sessions that infer at the same time, each in its own worker thread (default 1). On a 2-core
   * CPU two 1-thread sessions ran 13.5-14.7 inferences/s against 9.6-10.9 for one 2-thread session,
   * and 12.6 against 8.0-9.9 while ffmpeg and the overlay also ran (npm run bench:sessions, two runs):
   * two independent inferences get more done than one split over two threads.
   */
  sessions?: number;
}

interface Waiting {
  jpeg: Buffer;
  request: DetectRequest;
  resolve: (outcome: DetectOutcome) => void;
  reject: (err: Error) => void;
}

/**
 * One camera's handle on a shared detector. At most one of its frames waits: a newer frame
 * replaces it (the replaced one resolves as 'dropped' and is counted), so a camera faster than
 * the model never builds a queue. Results come back in the order the frames were sent, even when
 * two sessions work on two of its frames and the later one finishes first.
 */
export class DetectorClient {
  dropped = 0;
  private closed = false;
  /** @internal */ waiting: Waiting | null = null;
  /** @internal Frames sent to a session, oldest first, with their outcome once known. */
  readonly sent: { id: number; settle: (() => void) | null }[] = [];

  constructor(private readonly owner: SharedDetector) {}

  /**
   * Detects in a frame; resolves 'dropped' when a newer frame from this client took its place.
   * `urgency` says how much the camera needs it: 'refresh' frames wait behind 'active' ones of
   * other cameras (see DetectionScheduler), so the model's time goes to the cameras with people.
   */
  detect(jpeg: Buffer, request: DetectRequest, urgency: Urgency = 'active'): Promise<DetectOutcome> {
    // A frame that comes after close (its node was being redeployed) is never sent: answered at once.
    if (this.closed) return Promise.resolve({ kind: 'dropped' });
    return new Promise((resolve, reject) => {
      if (this.waiting) {
        this.dropped++;
        this.owner.replaced(this);
        this.waiting.resolve({ kind: 'dropped' });
      }
      this.waiting = { jpeg, request, resolve, reject };
      this.owner.wanted(this, urgency);
    });
  }

  /** Leaves the detector; a waiting frame resolves as dropped. */
  close(): void {
    this.closed = true;
    this.waiting?.resolve({ kind: 'dropped' });
    this.waiting = null;
    this.owner.removeClient(this);
  }

  /** @internal Records a frame's outcome and hands out every outcome whose turn has come. */
  settle(id: number, settle: () => void): void {
    const entry = this.sent.find((s) => s.id === id);
    if (entry) entry.settle = settle;
    while (this.sent.length > 0 && this.sent[0].settle) this.sent.shift()!.settle!();
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

/** One ONNX Runtime session in its own worker thread, and the frame it is working on. */
interface Session {
  worker: Worker;
  loaded: boolean;
  /** The OS id of the worker's thread, where inference runs (null off Linux). */
  threadId: number | null;
  inFlight: { id: number; client: DetectorClient; waiting: Waiting; side: number | undefined } | null;
}

/**
 * One model shared by every camera that uses the same model file with the same settings, loaded
 * in `sessions` worker threads (one session each) that infer at the same time. A frame goes to
 * whichever session is free; when several cameras have one waiting, a DetectionScheduler chooses:
 * 'active' cameras before 'refresh' ones, and among those the camera served least recently, so
 * each busy camera gets an equal share when the model is the bottleneck and none starves.
 */
export class SharedDetector {
  private static readonly instances = new Map<string, SharedDetector>();

  /** Gets (or starts) the shared detector for this model and settings; pair with release(). */
  static acquire(modelPath: string, options: SharedDetectorOptions): SharedDetector {
    const sessions = options.sessions ?? 1;
    const key = JSON.stringify([
      path.resolve(modelPath),
      options.threads,
      options.executionProvider,
      sessions,
      options.inputSize ?? 'auto',
    ]);
    let instance = SharedDetector.instances.get(key);
    if (!instance || instance.broken) {
      instance = new SharedDetector(key, path.resolve(modelPath), options, sessions);
      SharedDetector.instances.set(key, instance);
    }
    instance.refs++;
    return instance;
  }

  /**
   * The OS thread ids of every loaded session of every shared detector in this process: the threads
   * inference runs on, for tools that split a process's CPU time by thread (the benchmark). Kept
   * here because the detectors Node-RED's nodes start are reachable only through this registry.
   */
  static sessionThreadIds(): number[] {
    return [...SharedDetector.instances.values()].flatMap((d) => d.threadIds());
  }

  /** The OS thread ids of this detector's loaded sessions (none off Linux). */
  threadIds(): number[] {
    return this.sessions.flatMap((s) => (s.threadId === null ? [] : [s.threadId]));
  }

  /** Resolves with the model's description once every session has loaded; rejects with a DetectorError. */
  readonly ready: Promise<ModelInfo>;
  private readonly sessions: Session[];
  private refs = 0;
  private readonly clients: DetectorClient[] = [];
  /** Knows which clients have a frame waiting; chooses whose goes to a free session. */
  private readonly scheduler = new DetectionScheduler<DetectorClient>();
  /** Input size 'auto': picks each frame's long side from the load; null for a fixed setting. */
  private readonly auto: AutoInputSize | null;
  private nextId = 1;
  private broken: Error | null = null;
  private terminated: Promise<void> | null = null;
  private readonly timings = new Map<
    number,
    { resolve: (t: InferenceRuns) => void; reject: (e: Error) => void }
  >();

  private constructor(
    private readonly key: string,
    modelPath: string,
    options: SharedDetectorOptions,
    sessionCount: number,
  ) {
    const auto = (options.inputSize ?? 'auto') === 'auto';
    this.auto = auto ? new AutoInputSize() : null;
    const init: WorkerInit = {
      modelPath,
      options: {
        threads: options.threads,
        executionProvider: options.executionProvider,
        // Auto: the sessions start at the largest side; each frame says the side it is run at.
        inputSize: auto ? DEFAULT_AUTO_INPUT_SIZE.sides[0] : (options.inputSize as number),
      },
    };
    this.sessions = Array.from({ length: sessionCount }, () => ({
      worker: startWorker(init),
      loaded: false,
      threadId: null,
      inFlight: null,
    }));
    this.ready = Promise.all(this.sessions.map((session) => this.watch(session))).then((infos) =>
      this.auto && infos[0].inputSize !== null
        ? { ...infos[0], autoInputSizes: [...this.auto.options.sides] }
        : infos[0],
    );
    // Callers await `ready`; this keeps an unobserved load failure from crashing the process.
    this.ready.catch(() => {});
  }

  /** Follows one session's worker: resolves when its model is loaded. */
  private watch(session: Session): Promise<ModelInfo> {
    const { worker } = session;
    return new Promise<ModelInfo>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            session.loaded = true;
            session.threadId = message.threadId;
            resolve(message.info);
            this.pump();
            return;
          case 'load-error':
            this.fail(new DetectorError(message.code as DetectorError['code'], message.message));
            reject(this.broken);
            return;
          case 'timed':
            this.timings.get(message.id)?.resolve(message);
            this.timings.delete(message.id);
            return;
          case 'result':
          case 'error':
            this.onReply(session, message);
            return;
        }
      });
      worker.on('error', (err) => {
        this.fail(err);
        reject(err);
      });
      worker.on('exit', (code) => {
        if (!this.terminated) {
          const err =
            this.broken ?? new Error(`the detector thread stopped unexpectedly (exit code ${code})`);
          this.fail(err);
          reject(err);
        }
      });
    });
  }

  client(): DetectorClient {
    const client = new DetectorClient(this);
    this.clients.push(client);
    return client;
  }

  /**
   * Diagnostic, for the benchmark (support/detection/pure-inference.ts reads the result): every session runs
   * the model `runs` times on its last input (or grey ones of `sizes`, in turn) at the same moment, with no frames in flight. One
   * entry per session. Stays here because only this class can reach its sessions' workers.
   */
  async timeInference(
    runs: number,
    sizes?: ReadonlyArray<{ width: number; height: number }>,
  ): Promise<InferenceRuns[]> {
    await this.ready;
    if (this.sessions.some((s) => s.inFlight)) throw new Error('timeInference needs an idle detector');
    return Promise.all(
      this.sessions.map(
        (session) =>
          new Promise<InferenceRuns>((resolve, reject) => {
            const id = this.nextId++;
            this.timings.set(id, { resolve, reject });
            session.worker.postMessage({ type: 'time', id, runs, sizes } satisfies ToWorker);
          }),
      ),
    );
  }

  /** Drops one reference; the workers and their sessions are freed when the last user releases. */
  async release(): Promise<void> {
    this.refs = Math.max(0, this.refs - 1);
    if (this.refs > 0) return;
    if (SharedDetector.instances.get(this.key) === this) SharedDetector.instances.delete(this.key);
    if (!this.terminated) {
      // Frames the sessions are still working on get no answer now: they resolve as dropped, so
      // whoever waits for them (a node's done()) is not left waiting for ever.
      this.endInFlight((waiting) => waiting.resolve({ kind: 'dropped' }));
      this.terminated = Promise.all(this.sessions.map((session) => this.stop(session))).then(() => {});
    }
    for (const client of [...this.clients]) client.close();
    await this.terminated;
  }

  private async stop(session: Session): Promise<void> {
    const { worker } = session;
    if (session.loaded && !this.broken) worker.postMessage({ type: 'close' } satisfies ToWorker);
    // Give the session a moment to release, then make sure the thread is gone.
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([exited, timeout]);
    await worker.terminate();
  }

  /** @internal */
  removeClient(client: DetectorClient): void {
    const i = this.clients.indexOf(client);
    if (i >= 0) this.clients.splice(i, 1);
    this.scheduler.forget(client);
    this.auto?.forget(client);
  }

  /** @internal A client's waiting frame was replaced by a newer one (the model was busy). */
  replaced(client: DetectorClient): void {
    this.auto?.dropped(client, performance.now());
  }

  /** @internal The client has a (new) frame waiting. */
  wanted(client: DetectorClient, urgency: Urgency): void {
    // Only open clients come here: a closed one answers its frames itself (DetectorClient.detect).
    this.scheduler.want(client, urgency, performance.now());
    this.pump();
  }

  /** @internal Sends waiting frames, as the scheduler chooses them, to the sessions that are free. */
  pump(): void {
    if (this.broken) {
      for (const client of this.clients) {
        client.waiting?.reject(this.broken);
        client.waiting = null;
        this.scheduler.cancel(client);
      }
      return;
    }
    if (this.terminated) return;
    for (const session of this.sessions) {
      if (session.loaded && !session.inFlight && !this.sendNext(session)) return;
    }
  }

  /** Gives `session` the waiting frame the scheduler picks; false when no camera has one. */
  private sendNext(session: Session): boolean {
    for (;;) {
      const client = this.scheduler.pick(performance.now());
      if (!client) return false;
      const waiting = client.waiting;
      // Cannot happen (the scheduler is told of every frame that comes and goes); skip it if so.
      if (!waiting) continue;
      client.waiting = null;
      const id = this.nextId++;
      const side = this.auto?.side;
      session.inFlight = { id, client, waiting, side };
      client.sent.push({ id, settle: null });
      // The frame is copied (~60 KB, microseconds), not transferred: msg.payload stays usable by
      // the other nodes wired to the same message.
      const jpeg = new Uint8Array(waiting.jpeg).buffer;
      const request = side === undefined ? waiting.request : { ...waiting.request, inputSize: side };
      session.worker.postMessage({ type: 'detect', id, jpeg, request } satisfies ToWorker, [jpeg]);
      return true;
    }
  }

  private onReply(session: Session, message: Extract<FromWorker, { type: 'result' | 'error' }>): void {
    const timing = this.timings.get(message.id);
    if (timing && message.type === 'error') {
      this.timings.delete(message.id);
      timing.reject(new Error(message.message));
      return;
    }
    const inFlight = session.inFlight;
    if (!inFlight || inFlight.id !== message.id) return;
    session.inFlight = null;
    const { waiting } = inFlight;
    // A camera that closed meanwhile is no longer part of the load.
    if (message.type === 'result' && inFlight.side !== undefined && this.clients.includes(inFlight.client)) {
      this.auto?.served(
        inFlight.client,
        performance.now(),
        inFlight.side,
        message.result.timings.inferenceMs,
      );
    }
    inFlight.client.settle(
      inFlight.id,
      message.type === 'result'
        ? () => waiting.resolve({ kind: 'done', result: message.result })
        : () => waiting.reject(new DetectorError(message.code as DetectorError['code'], message.message)),
    );
    this.pump();
  }

  /** Answers every frame a session is working on with `answer` (in each camera's order) and forgets it. */
  private endInFlight(answer: (waiting: Waiting) => void): void {
    for (const session of this.sessions) {
      const inFlight = session.inFlight;
      session.inFlight = null;
      if (inFlight) inFlight.client.settle(inFlight.id, () => answer(inFlight.waiting));
    }
  }

  private fail(err: Error): void {
    if (this.broken) return;
    this.broken = err;
    this.endInFlight((waiting) => waiting.reject(err));
    for (const timing of this.timings.values()) timing.reject(err);
    this.timings.clear();
    this.pump();
  }
}
