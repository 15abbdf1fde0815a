/**
 * One benchmark scenario in its own process (so each starts from a fresh runtime and its memory
 * figures are its own): a real Node-RED runtime with the given flow, viewers on the overlay streams,
 * every node timed with Node-RED's message hooks. Writes what it measured to `<config file>.result.json`.
 * Started by pipeline-bench.ts; the argument is a JSON file: { name, flow, warmup, seconds, viewerPaths, ffmpegMarker }.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { packageRoot } from '../nodes/shared/package-root';
import { CompleteEvent, EmbeddedNodeRed, ReceiveEvent } from '../support/node-red/embedded-node-red';
import { CountingMjpegViewer } from '../support/video/mjpeg-viewer';
import { SharedDetector } from '../nodes/lib/yolo/shared-detector';
import { cpuSplit } from '../support/measure/cpu-split';
import { pidsWith, processCpuMs, threadCpuMs } from '../support/measure/process-cpu';
import { mean, sum } from '../support/measure/samples';
import type { FlowNode, ScenarioOptions, ScenarioResult } from '../support/measure/scenario-types';

const projectRoot = packageRoot(__dirname);
/** The node after the peer's detector in the peer flow: its messages are the peer's results. */
export const PEER_RESULTS = 'peer-results';

/** The nodes whose time in the input handler is a stage of the table (see onComplete). */
const TIMED_NODES = new Set(['tracker', 'heatmap', 'mjpeg-out']);

/**
 * Times the pipeline's nodes with Node-RED's message hooks while `recording` is on. With `keepSamples`
 * off it only counts frames: a soak watches this process's memory, which growing sample arrays would raise.
 */
class StageRecorder {
  recording = false;
  constructor(private readonly keepSamples: boolean) {}
  readonly started = new Map<string, number>();
  readonly samples: Record<string, number[]> = {
    preprocess: [],
    inference: [],
    postprocess: [],
    tracking: [],
    heat: [],
    overlay: [],
    fanout: [],
  };
  readonly latency: number[] = [];
  readonly detectionLatency: Array<[number, number]> = [];
  readonly peoplePerFrame: number[] = [];
  private startedAt = 0;

  start(): void {
    this.startedAt = performance.now();
    this.recording = true;
  }

  private detectedNow(
    camera: string,
    frame: { capturedAt?: number; seq?: number } | undefined,
    people: number,
  ): void {
    this.detected[camera] = (this.detected[camera] ?? 0) + 1;
    // Drops are frames that came in during the run and were not detected: a detection of a frame
    // that was already on its way at the start is not one of them (it made the count negative).
    if (typeof frame?.seq === 'number' && frame.seq >= (this.firstSeq[camera] ?? Infinity)) {
      this.detectedOfRun[camera] = (this.detectedOfRun[camera] ?? 0) + 1;
    }
    const capturedAt = frame?.capturedAt;
    if (!this.keepSamples) return;
    this.peoplePerFrame.push(people);
    if (typeof capturedAt === 'number') {
      this.detectionLatency.push([(performance.now() - this.startedAt) / 1000, Date.now() - capturedAt]);
    }
  }
  readonly framesIn: Record<string, number> = {};
  /** Frames reaching the tracker (detected or predicted), and why the model passed frames over. */
  readonly tracked: Record<string, number> = {};
  readonly motionSkipped: Record<string, number> = {};
  /** Detected frames by the model input they ran at ("416x320"): what Input size auto chose. */
  readonly modelInputs: Record<string, number> = {};
  readonly loadDropped: Record<string, number> = {};
  /** Capture to the tracker's output reaching the next node (ms), per camera. */
  readonly tracksLatency: Record<string, number[]> = {};
  readonly detected: Record<string, number> = {};
  /** The first frame (rtsp-in's seq) each camera sent to the detector during the run. */
  private readonly firstSeq: Record<string, number> = {};
  /** Detections of frames from firstSeq on. */
  readonly detectedOfRun: Record<string, number> = {};

  /** When the heatmap took each tracked frame (camera:seq), to time its overlay; the last 100 only. */
  private readonly heatmapInAt = new Map<string, number>();

  attach(red: EmbeddedNodeRed): void {
    red.red.hooks.add('onReceive.bench', ((e: ReceiveEvent) => this.onReceive(e)) as never);
    red.red.hooks.add('onComplete.bench', ((e: CompleteEvent) => this.onComplete(e)) as never);
  }

  private onReceive(e: ReceiveEvent): void {
    if (!this.recording) return;
    const type = e.destination.node.type;
    const msg = e.msg as {
      _msgid: string;
      frame?: { sourceId?: string; seq?: number; capturedAt?: number; overlay?: boolean };
      detector?: {
        decodeMs: number;
        inferenceMs: number;
        postprocessMs: number;
        input?: { width: number; height: number };
      };
      tracks?: unknown;
    };
    const camera = msg.frame?.sourceId ?? '';
    if (type === 'yolo-detect' || type === 'good-object-detection') {
      this.framesIn[camera] = (this.framesIn[camera] ?? 0) + 1;
      if (typeof msg.frame?.seq === 'number') this.firstSeq[camera] ??= msg.frame.seq;
    }
    if (e.destination.id === PEER_RESULTS) {
      const people = (msg as { payload?: { data?: { person?: unknown[] } } }).payload?.data?.person;
      this.detectedNow(camera, msg.frame, people?.length ?? 0);
    }
    if (type === 'tracker') {
      this.tracked[camera] = (this.tracked[camera] ?? 0) + 1;
      const why = (msg as { skippedBecause?: string }).skippedBecause;
      if (why === 'no-motion') this.motionSkipped[camera] = (this.motionSkipped[camera] ?? 0) + 1;
      if (why === 'load') this.loadDropped[camera] = (this.loadDropped[camera] ?? 0) + 1;
    }
    if (type === 'tracker' && msg.detector) {
      const input = msg.detector.input ? `${msg.detector.input.width}x${msg.detector.input.height}` : '?';
      this.modelInputs[input] = (this.modelInputs[input] ?? 0) + 1;
      this.detectedNow(camera, msg.frame, (msg as { detections?: unknown[] }).detections?.length ?? 0);
    }
    if (!this.keepSamples) return;
    if (type === 'heatmap' && msg.tracks && typeof msg.frame?.capturedAt === 'number') {
      (this.tracksLatency[camera] ??= []).push(Date.now() - msg.frame.capturedAt);
    }
    // Only nodes that call done(): the dashboard's never do, and their entries would pile up.
    if (TIMED_NODES.has(type)) this.started.set(`${e.destination.id}:${msg._msgid}`, performance.now());
    if (type === 'tracker' && msg.detector) {
      this.samples.preprocess.push(msg.detector.decodeMs);
      this.samples.inference.push(msg.detector.inferenceMs);
      this.samples.postprocess.push(msg.detector.postprocessMs);
    }
    if (type === 'heatmap' && msg.tracks && typeof msg.frame?.seq === 'number') {
      this.heatmapInAt.set(`${camera}:${msg.frame.seq}`, performance.now());
      if (this.heatmapInAt.size > 100) this.heatmapInAt.delete(this.heatmapInAt.keys().next().value!);
    }
    if (type === 'mjpeg-out' && msg.frame?.overlay && typeof msg.frame.capturedAt === 'number') {
      // Capture (the frame leaving ffmpeg) to the overlay frame reaching the viewers' node.
      this.latency.push(Date.now() - msg.frame.capturedAt);
      // The tracked frame reaching the heatmap to its overlay reaching mjpeg-out: blend + JPEG encode.
      const key = `${camera}:${msg.frame.seq}`;
      const inAt = this.heatmapInAt.get(key);
      this.heatmapInAt.delete(key);
      if (inAt !== undefined) this.samples.overlay.push(performance.now() - inAt);
    }
  }

  private onComplete(e: CompleteEvent): void {
    const key = `${e.node.id}:${(e.msg as { _msgid: string })._msgid}`;
    const start = this.started.get(key);
    this.started.delete(key);
    if (start === undefined || !this.recording) return;
    const ms = performance.now() - start;
    const type = e.node.node.type;
    if (type === 'tracker') this.samples.tracking.push(ms);
    else if (type === 'heatmap' && e.msg.tracks) this.samples.heat.push(ms);
    else if (type === 'mjpeg-out') this.samples.fanout.push(ms);
  }
}

/** Open handles (sockets, timers, child pipes) of this process: a leak shows as a rising count. */
function activeHandles(): number {
  return (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

async function runScenario(
  name: string,
  flow: FlowNode[],
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const red = await EmbeddedNodeRed.start(flow, projectRoot, options.nodesDirs);
  const recorder = new StageRecorder(options.keepSamples !== false);
  recorder.attach(red);
  await sleep(1000); // the flow mounts its streams once started
  const viewers = options.viewerPaths.map((p) => new CountingMjpegViewer(`${red.url}${p}`));
  try {
    await sleep(options.warmup * 1000);
    const refused = viewers.find((v) => v.statusCode !== 200);
    if (refused) throw new Error(`a viewer got HTTP ${refused.statusCode} from the overlay stream`);
    const ffmpegPids = pidsWith(options.ffmpegMarker);
    const ffmpegStart = sum(ffmpegPids.map(processCpuMs));
    const cpuStart = process.cpuUsage();
    const threadsStart = threadCpuMs(process.pid);
    const viewerStart = viewers.map((v) => v.frames);
    const rss: number[] = [process.memoryUsage().rss];
    const t0 = performance.now();
    recorder.start();
    const series: ScenarioResult['series'] = [];
    for (let s = 1; s <= options.seconds; s++) {
      await sleep(1000);
      rss.push(process.memoryUsage().rss);
      if (s % 10 === 0) {
        const memory = process.memoryUsage();
        series.push({
          t: s,
          rssMb: mb(memory.rss),
          heapUsedMb: mb(memory.heapUsed),
          externalMb: mb(memory.external),
          handles: activeHandles(),
          ffmpegProcesses: pidsWith(options.ffmpegMarker).length,
          detected: sum(Object.values(recorder.detected)),
        });
      }
    }
    recorder.recording = false;
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpuStart);
    const threadsEnd = threadCpuMs(process.pid);
    const ffmpegMs = sum(ffmpegPids.map(processCpuMs)) - ffmpegStart;
    const framesIn = sum(Object.values(recorder.framesIn));
    const detected = sum(Object.values(recorder.detected));
    const dropped: Record<string, number> = {};
    for (const camera of Object.keys(recorder.framesIn)) {
      dropped[camera] = recorder.framesIn[camera] - (recorder.detectedOfRun[camera] ?? 0);
    }
    const s = recorder.samples;
    return {
      name,
      cameras: Object.keys(recorder.framesIn).length,
      seconds: wallMs / 1000,
      detectedPerCamera: recorder.detected,
      trackedPerCamera: recorder.tracked,
      motionSkippedPerCamera: recorder.motionSkipped,
      modelInputs: recorder.modelInputs,
      loadDroppedPerCamera: recorder.loadDropped,
      tracksLatencyPerCamera: recorder.tracksLatency,
      droppedPerCamera: dropped,
      pipelineFps: (detected * 1000) / wallMs,
      latency: recorder.latency,
      detectionLatency: recorder.detectionLatency,
      peoplePerFrame: recorder.peoplePerFrame,
      rssSeries: rss.map(mb),
      series,
      stages: [
        {
          stage: 'decode (ffmpeg process)',
          samples: [],
          perFrameCpuMs: framesIn > 0 ? ffmpegMs / framesIn : NaN,
        },
        { stage: 'preprocess (JPEG decode, letterbox)', samples: s.preprocess },
        { stage: 'inference (ONNX Runtime)', samples: s.inference },
        { stage: 'postprocess (boxes, NMS, colours)', samples: s.postprocess },
        { stage: 'tracking', samples: s.tracking },
        { stage: 'heat update + statistics', samples: s.heat },
        { stage: 'overlay blend + JPEG encode', samples: s.overlay },
        { stage: 'MJPEG fan-out (all feeds)', samples: s.fanout },
      ],
      processCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      ffmpegCpuPercent: (ffmpegMs / wallMs) * 100,
      cpuMs: { ...cpuSplit(threadsStart, threadsEnd, SharedDetector.sessionThreadIds()), ffmpeg: ffmpegMs },
      // Means of the first and last 5 s: frame-sized buffers are mapped and unmapped as they come and
      // go (MALLOC_MMAP_THRESHOLD_), so one sample can sit 20-30 MB above or below the level.
      rssStartMb: mb(mean(rss.slice(0, 5))),
      rssEndMb: mb(mean(rss.slice(-5))),
      viewerFps: viewers.map((v, i) => ((v.frames - viewerStart[i]) * 1000) / wallMs),
    };
  } finally {
    for (const v of viewers) v.close();
    await red.stop();
  }
}

const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ScenarioOptions & {
  name: string;
  flow: FlowNode[];
};
runScenario(config.name, config.flow, config).then(
  (result) => {
    // Written to a file, synchronously: a long line on a pipe would be cut short by the exit below.
    writeFileSync(`${process.argv[2]}.result.json`, JSON.stringify(result));
    // Node-RED is stopped; a peer node may still be working off a backlog of frames: not our business.
    process.exit(0);
  },
  (err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 1;
  },
);
