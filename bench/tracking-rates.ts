/**
 * npm run bench:tracking: how much tracking accuracy sparser detection costs, on the demo clip.
 *
 * The clip has no ground truth here (ours is held out), so the reference is the tracker fed a
 * detection on every frame, and each sparser run is scored against it with CLEAR MOT / IDF1: "within
 * 2 points of detecting every frame" is exactly that comparison. The model runs once over every frame
 * (its detections are cached in .bench/); a run at "every N" takes the detections of frames 1, 1+N,
 * 1+2N ... and predicts in between, as `npm run track -- --detect-every N` does.
 *
 *   npm run bench:tracking [-- --input media/vtest.avi] [-- --every 1,2,3,4]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ByteTracker, TrackerOptions } from '../nodes/lib/track/byte-tracker';
import { MotBox, motMetrics } from '../nodes/lib/track/mot-metrics';
import type { TrackInput } from '../nodes/lib/track/track';
import { findFfmpeg } from '../nodes/lib/video/ffmpeg-path';
import { SharedDetector } from '../nodes/lib/yolo/shared-detector';
import { defaultModelPath, packageRoot } from '../nodes/shared/package-root';
import { frameRate, videoJpegFrames } from '../support/video/video-frames';
import { PEOPLE } from '../support/detection/primed-detector';

const projectRoot = packageRoot(__dirname);

interface CachedDetections {
  fps: number;
  frames: TrackInput[][];
}

/** Every frame's detections, from the cache when the clip and model are unchanged. */
export async function detectionsOf(input: string, modelPath: string): Promise<CachedDetections> {
  const key = createHash('sha256')
    .update(JSON.stringify([path.resolve(input), statSync(input).size, statSync(modelPath).size, PEOPLE]))
    .digest('hex')
    .slice(0, 16);
  const cache = path.join(projectRoot, '.bench', `detections-${key}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as CachedDetections;
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new Error('ffmpeg not found');
  const fps = frameRate(ffmpeg.path, input);
  const detector = SharedDetector.acquire(modelPath, { threads: 2, executionProvider: 'cpu' });
  const client = detector.client();
  const frames: TrackInput[][] = [];
  try {
    await detector.ready;
    const video = videoJpegFrames(ffmpeg.path, input);
    for await (const frame of video.frames) {
      const outcome = await client.detect(frame.jpeg, PEOPLE);
      if (outcome.kind !== 'done') throw new Error('a frame was dropped');
      frames.push(outcome.result.detections);
    }
    if ((await video.exited) !== 0) throw new Error(`ffmpeg could not decode ${input}`);
  } finally {
    client.close();
    await detector.release();
  }
  mkdirSync(path.dirname(cache), { recursive: true });
  writeFileSync(cache, JSON.stringify({ fps, frames }));
  return { fps, frames };
}

/** The tracker over the clip with a detection on frames 1, 1+N, ...; predicted tracks in between. */
export function trackAtRate(
  detections: CachedDetections,
  every: number,
  options: Partial<TrackerOptions> = {},
): MotBox[] {
  const tracker = new ByteTracker(options);
  const out: MotBox[] = [];
  detections.frames.forEach((list, i) => {
    const at = Math.round((i * 1000) / detections.fps);
    const tracks = i % every === 0 ? tracker.update(list, at) : tracker.predict(at);
    for (const t of tracks) out.push({ frame: i + 1, id: t.id, box: t.box });
  });
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string', default: path.join(projectRoot, 'media', 'vtest.avi') },
      model: { type: 'string', default: defaultModelPath() },
      every: { type: 'string', default: '1,2,3,4' },
    },
  });
  const detections = await detectionsOf(values.input!, values.model!);
  const reference = trackAtRate(detections, 1);
  console.log(
    `# tracking at sparser detection rates: ${path.basename(values.input!)}, ${detections.frames.length} frames at ${detections.fps} fps; reference: a detection on every frame`,
  );
  console.log('| detect every | MOTA | IDF1 | ID switches | misses | false positives | ids (reference) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  const rows: Record<string, unknown>[] = [];
  for (const every of values.every!.split(',').map(Number)) {
    const m = motMetrics(reference, trackAtRate(detections, every));
    console.log(
      `| ${every} | ${m.mota.toFixed(3)} | ${m.idf1.toFixed(3)} | ${m.idSwitches} | ${m.misses} | ${m.falsePositives} | ${m.trackerIds} (${m.groundTruthIds}) |`,
    );
    rows.push({
      every,
      mota: Number(m.mota.toFixed(3)),
      idf1: Number(m.idf1.toFixed(3)),
      idSwitches: m.idSwitches,
      ids: m.trackerIds,
    });
  }
  console.log(JSON.stringify({ reference: 'every frame', rows }));
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 1;
  });
}
