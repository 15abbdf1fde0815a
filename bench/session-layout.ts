/**
 * npm run bench:sessions: why yolo-model runs several 1-thread sessions instead of one session with
 * every core. For each layout (sessions x threads), pure inference throughput alone and while the
 * other work of the pipeline runs beside it: ffmpeg decoding and JPEG-encoding the clip at 25 fps,
 * the heat overlay drawn 5 times a second, or both. Rounds alternate the loads so that other jobs
 * on a shared machine touch every cell alike; medians over rounds are printed.
 *
 *   npm run bench:sessions [-- --rounds 3] [-- --runs 30]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HeatGrid } from '../nodes/lib/heatmap/heat-grid';
import { OverlayPainter } from '../nodes/lib/heatmap/overlay';
import {
  type CameraSourceOptions,
  DEFAULT_SOURCE,
  ffmpegInputOptions,
  ffmpegOutputOptions,
} from '../nodes/lib/video/camera-source';
import { ffmpegHasFilter } from '../nodes/lib/video/ffmpeg-path';
import type { SharedDetectorOptions } from '../nodes/lib/yolo/shared-detector';
import { demoClip, projectRoot } from '../support/assets';
import { clipFrameJpeg } from '../support/video/clip-frame';
import { sleep } from '../support/processes';
import { fastClip } from '../support/video/fast-clip';
import { withPrimedDetector } from '../support/detection/primed-detector';
import { timePureInference } from '../support/detection/pure-inference';
import { median } from '../support/measure/samples';

const modelPath = path.join(projectRoot, 'models', 'yolov8n.onnx');
const LOADS = ['none', 'ffmpeg 25 fps', 'overlay 5 fps', 'both'] as const;
type Load = (typeof LOADS)[number];

/** The pipeline's other work, switched on and off between measurements. */
class OtherWork {
  private ffmpeg: ChildProcess | null = null;
  private overlayOn = false;
  private stopped = false;
  private readonly painter = new OverlayPainter();
  private readonly grid = new HeatGrid({ sourceWidth: 768, sourceHeight: 576, cellSize: 8 });
  private readonly overlayLoop: Promise<void>;

  constructor(
    private readonly frame: Buffer,
    private readonly camera: CameraSourceOptions,
  ) {
    for (let i = 0; i < 200; i++) this.grid.addPerson(200 + ((i * 37) % 400), 150 + ((i * 53) % 300), 1, 40);
    this.overlayLoop = (async () => {
      while (!this.stopped) {
        if (this.overlayOn) await this.painter.paint(this.frame, this.grid, Date.now());
        await sleep(200);
      }
    })();
  }

  set(load: Load): void {
    this.overlayOn = load === 'overlay 5 fps' || load === 'both';
    const ffmpegOn = load === 'ffmpeg 25 fps' || load === 'both';
    if (ffmpegOn && !this.ffmpeg) {
      // What rtsp-in runs for a 25 fps camera (the default flow's settings): decode, JPEG-encode
      // every frame, pipe it out.
      const input = [...ffmpegInputOptions(this.camera), '-i', this.camera.url];
      const args = [
        '-nostdin',
        '-loglevel',
        'error',
        ...input,
        ...ffmpegOutputOptions(this.camera, { zscale: ffmpegHasFilter('ffmpeg', 'zscale') }),
        'pipe:1',
      ];
      this.ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      this.ffmpeg.stdout!.resume();
    }
    if (!ffmpegOn && this.ffmpeg) {
      this.ffmpeg.kill('SIGKILL');
      this.ffmpeg = null;
    }
  }

  async stop(): Promise<void> {
    this.set('none');
    this.stopped = true;
    await this.overlayLoop;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '3' }, runs: { type: 'string', default: '30' } },
  });
  const rounds = Number(values.rounds);
  const runs = Number(values.runs);
  const cores = os.availableParallelism();
  const frame = clipFrameJpeg(125);
  const layouts: SharedDetectorOptions[] = [
    { sessions: 1, threads: cores, executionProvider: 'cpu' },
    { sessions: cores, threads: 1, executionProvider: 'cpu' },
  ];
  console.log(`# session layouts - ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, yolov8n 640x640`);
  const camera: CameraSourceOptions = {
    ...DEFAULT_SOURCE,
    url: fastClip(demoClip(), path.join(projectRoot, '.bench')),
    loop: true,
  };
  const work = new OtherWork(frame, camera);
  const fps = new Map<string, number[]>();
  const ms = new Map<string, number[]>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const layout of layouts) {
        try {
          await withPrimedDetector(modelPath, layout, [frame], async (detector) => {
            for (const load of LOADS) {
              work.set(load);
              await timePureInference(detector, 2); // settle
              const timing = await timePureInference(detector, runs);
              const key = `${layout.sessions} x ${layout.threads}|${load}`;
              fps.set(key, [...(fps.get(key) ?? []), timing.fps]);
              ms.set(key, [...(ms.get(key) ?? []), median(timing.ms)]);
              console.log(
                `round ${round + 1}: ${key.replace('|', ' thread(s), ')}: ${timing.fps.toFixed(2)} inferences/s`,
              );
            }
          });
        } finally {
          work.set('none');
        }
      }
    }
  } finally {
    await work.stop();
  }
  console.log(
    '\n| sessions x threads | other work | inferences/s (median of rounds) | one inference, median ms | vs alone |',
  );
  console.log('|---|---|---:|---:|---:|');
  for (const layout of layouts) {
    const alone = median(fps.get(`${layout.sessions} x ${layout.threads}|none`)!);
    for (const load of LOADS) {
      const key = `${layout.sessions} x ${layout.threads}|${load}`;
      const f = median(fps.get(key)!);
      console.log(
        `| ${layout.sessions} x ${layout.threads} | ${load} | ${f.toFixed(2)} | ${median(ms.get(key)!).toFixed(1)} | ${((f / alone) * 100).toFixed(0)} % |`,
      );
    }
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
