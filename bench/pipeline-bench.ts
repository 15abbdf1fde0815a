/**
 * npm run bench: the real default pipeline nodes in a real Node-RED runtime over the real clip, with
 * pure inference of the same model and session settings measured in the same run. Prints a table
 * per stage and scenario, then one JSON line. Numbers, not pass/fail: see the README for targets.
 *
 *   npm run bench [-- --seconds 40] [-- --warmup 10] [-- --skip-rtsp] [-- --skip-multi]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../nodes/shared/package-root';
import { parseArgs } from 'node:util';
import { SharedDetector } from '../nodes/lib/yolo/shared-detector';
import { median, percentile, sum } from './lib/samples';
import type { FlowNode, ScenarioResult } from './lib/scenario-types';

const projectRoot = packageRoot(__dirname);
const benchDir = path.join(projectRoot, '.bench');
const modelPath = path.join(projectRoot, 'models', 'yolov8n.onnx');
const clip = path.join(projectRoot, 'media', 'vtest.avi');
/** The yolo-model settings of the default flow: the pure-inference run uses the very same session. */
const SESSION = { threads: 2, executionProvider: 'cpu' as const };

/** The clip re-timed to 25 fps (same frames, 2.5x faster): a source faster than the model. */
function fastClip(): string {
  const out = path.join(benchDir, 'vtest-25fps.avi');
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(clip).mtimeMs) {
    mkdirSync(benchDir, { recursive: true });
    execFileSync('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-i',
      clip,
      '-vf',
      'setpts=0.4*PTS',
      '-r',
      '25',
      '-c:v',
      'mpeg4',
      '-q:v',
      '3',
      out,
    ]);
  }
  return out;
}

/** The shipped default flow, reading `cameraUrl`, saving heat under the bench's user directory. */
function defaultFlow(cameraUrl: string): FlowNode[] {
  const flow = JSON.parse(
    readFileSync(path.join(projectRoot, 'flows', 'store-analytics.json'), 'utf8'),
  ) as FlowNode[];
  for (const node of flow) if (node.type === 'rtsp-in') node.url = cameraUrl;
  return flow;
}

/** The pipeline part of the default flow once per camera, all sharing one yolo-model. */
function multiCameraFlow(cameraUrl: string, cameras: number): FlowNode[] {
  const base = defaultFlow(cameraUrl);
  const keep = new Set(['rtsp-in', 'yolo-detect', 'tracker', 'heatmap', 'heatmap-store', 'mjpeg-out']);
  const tab = base.find((n) => n.type === 'tab')!;
  const model = base.find((n) => n.type === 'yolo-model')!;
  const flow: FlowNode[] = [tab, model];
  for (let c = 1; c <= cameras; c++) {
    const id = (old: string) => `${old}-${c}`;
    for (const node of base) {
      if (!keep.has(node.type)) continue;
      const copy: FlowNode = JSON.parse(JSON.stringify(node));
      copy.id = id(node.id);
      if (copy.wires)
        copy.wires = copy.wires.map((port) =>
          port.filter((t) => base.some((n) => n.id === t && keep.has(n.type))).map(id),
        );
      if (copy.type === 'rtsp-in') copy.cameraId = `camera-${c}`;
      if (copy.type === 'mjpeg-out') copy.path = `${copy.path}_${c}`;
      flow.push(copy);
    }
  }
  return flow;
}

async function pureInference(frames: Buffer[]): Promise<number[]> {
  const detector = SharedDetector.acquire(modelPath, SESSION);
  const client = detector.client();
  const ms: number[] = [];
  try {
    await detector.ready;
    for (const [i, jpeg] of frames.entries()) {
      const outcome = await client.detect(jpeg, { scoreThreshold: 0.5, iouThreshold: 0.7, classes: [0] });
      if (outcome.kind === 'done' && i >= 3) ms.push(outcome.result.timings.inferenceMs); // 3 warm-up runs
    }
  } finally {
    client.close();
    await detector.release();
  }
  return ms;
}

function clipFrames(count: number): Buffer[] {
  const out = execFileSync(
    'ffmpeg',
    [
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      clip,
      '-frames:v',
      String(count),
      '-q:v',
      '5',
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      'pipe:1',
    ],
    { maxBuffer: 1 << 28 },
  );
  const frames: Buffer[] = [];
  let start = 0;
  for (let i = 2; i < out.length - 1; i++) {
    if (out[i] === 0xff && out[i + 1] === 0xd8 && out[i - 2] === 0xff && out[i - 1] === 0xd9) {
      frames.push(out.subarray(start, i));
      start = i;
    }
  }
  frames.push(out.subarray(start));
  return frames;
}

/** Runs one scenario in its own process (bench/scenario.ts) and returns what it measured. */
function runScenario(
  name: string,
  flow: FlowNode[],
  options: { warmup: number; seconds: number; viewerPaths: string[]; ffmpegMarker: string },
): Promise<ScenarioResult> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'scenario.js'), JSON.stringify({ name, flow, ...options })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as ScenarioResult);
      else reject(new Error(`scenario "${name}" failed (exit code ${code}):\n${out}`));
    }),
  );
}

function printScenario(r: ScenarioResult): void {
  const wallMs = r.seconds * 1000;
  console.log(`\n## ${r.name}: ${r.cameras} camera(s), ${r.seconds.toFixed(0)} s measured`);
  console.log('| stage | frames | median ms | p95 ms | busy % of the run |');
  console.log('|---|---:|---:|---:|---:|');
  for (const { stage, samples, perFrameCpuMs } of r.stages) {
    if (perFrameCpuMs !== undefined) {
      console.log(
        `| ${stage} | - | ${perFrameCpuMs.toFixed(1)} (CPU/frame) | - | ${r.ffmpegCpuPercent.toFixed(1)} (CPU) |`,
      );
      continue;
    }
    const busy = (sum(samples) / wallMs) * 100;
    console.log(
      `| ${stage} | ${samples.length} | ${median(samples).toFixed(1)} | ${percentile(samples, 95).toFixed(1)} | ${busy.toFixed(1)} |`,
    );
  }
  const perCamera = Object.keys(r.detectedPerCamera)
    .sort()
    .map(
      (c) => `${c}: ${(r.detectedPerCamera[c] / r.seconds).toFixed(2)} fps, dropped ${r.droppedPerCamera[c]}`,
    )
    .join('; ');
  console.log(
    `pipeline ${r.pipelineFps.toFixed(2)} fps (${perCamera}); latency capture->overlay out median ${median(r.latency).toFixed(0)} ms, p95 ${percentile(r.latency, 95).toFixed(0)} ms; ` +
      `Node-RED process CPU ${r.processCpuPercent.toFixed(0)} % of one core, ffmpeg ${r.ffmpegCpuPercent.toFixed(0)} %; RSS ${r.rssStartMb} -> ${r.rssEndMb} MB; ` +
      `viewers ${r.viewerFps.map((f) => f.toFixed(1)).join(', ')} fps`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '40' },
      warmup: { type: 'string', default: '10' },
      'skip-multi': { type: 'boolean', default: false },
      'skip-rtsp': { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  for (const file of [modelPath, clip]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run 'bash scripts/install.sh' first`);
  }
  console.log(
    `# store-analytics benchmark - ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`,
  );
  const frames = clipFrames(43);

  const before = await pureInference(frames);
  console.log(
    `pure inference (before): median ${median(before).toFixed(1)} ms, p95 ${percentile(before, 95).toFixed(1)} ms over ${before.length} frames`,
  );

  const fast = fastClip();
  const results: ScenarioResult[] = [];
  const viewers = ['/overlay_feed', '/overlay_feed'];
  results.push(
    await runScenario('clip at 25 fps (faster than the model), 2 overlay viewers', defaultFlow(fast), {
      warmup,
      seconds,
      viewerPaths: viewers,
      ffmpegMarker: fast,
    }),
  );
  printScenario(results[0]);
  results.push(
    await runScenario('clip at its real 10 fps, 2 overlay viewers', defaultFlow(clip), {
      warmup,
      seconds,
      viewerPaths: viewers,
      ffmpegMarker: clip,
    }),
  );
  printScenario(results[1]);

  const after = await pureInference(frames);
  console.log(
    `\npure inference (after): median ${median(after).toFixed(1)} ms, p95 ${percentile(after, 95).toFixed(1)} ms over ${after.length} frames`,
  );
  const inferenceMsMedian = median([...before, ...after]);
  const inferenceFps = 1000 / inferenceMsMedian;

  let multi: ScenarioResult | null = null;
  if (!values['skip-multi']) {
    multi = await runScenario('4 cameras (clip at 25 fps each), one shared model', multiCameraFlow(fast, 4), {
      warmup,
      seconds,
      viewerPaths: ['/overlay_feed_1'],
      ffmpegMarker: fast,
    });
    printScenario(multi);
    const rates = Object.values(multi.detectedPerCamera).map((n) => n / multi!.seconds);
    const fair = multi.pipelineFps / 4;
    console.log(
      `4 cameras: aggregate ${multi.pipelineFps.toFixed(2)} fps = ${((multi.pipelineFps / results[0].pipelineFps) * 100).toFixed(0)} % of one camera's; ` +
        `slowest camera ${((Math.min(...rates) / fair) * 100).toFixed(0)} % of its fair share`,
    );
  }

  const main = results[0];
  const json = {
    inferenceFps: Number(inferenceFps.toFixed(2)),
    pipelineFps: Number(main.pipelineFps.toFixed(2)),
    ratio: Number((main.pipelineFps / inferenceFps).toFixed(3)),
    p95LatencyMs: Math.round(percentile(main.latency, 95)),
    p95LatencyMsRealRate: Math.round(percentile(results[1].latency, 95)),
    inferenceMsMedian: Number(inferenceMsMedian.toFixed(1)),
    rssStartMb: main.rssStartMb,
    rssEndMb: main.rssEndMb,
    droppedFrames: sum(Object.values(main.droppedPerCamera)),
    cameras: multi
      ? {
          count: multi.cameras,
          aggregateFps: Number(multi.pipelineFps.toFixed(2)),
          perCameraFps: Object.fromEntries(
            Object.entries(multi.detectedPerCamera).map(([c, n]) => [
              c,
              Number((n / multi!.seconds).toFixed(2)),
            ]),
          ),
          droppedPerCamera: multi.droppedPerCamera,
        }
      : 1,
  };
  console.log(`\n${JSON.stringify(json)}`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
