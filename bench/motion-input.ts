#!/usr/bin/env node
/**
 * What the motion detector's input costs, per frame of the demo clip (768x576 JPEGs as rtsp-in sends
 * them, quality 5), in process CPU (user + system, all threads; not wall time, which a busy machine
 * stretches):
 *   - greyThumbnail at 96, 80 and 192 px wide (libvips shrink-on-load), and for comparison sharp's
 *     own greyscale(), sharp's cost per call (a tiny JPEG) and a full-size decode, grey and colour;
 *   - MotionDetector.update on the thumbnails;
 *   - the extra CPU ffmpeg needs for a second output, a 96x72 grey raw picture beside the JPEGs (the
 *     alternative to decoding the JPEG again), from /usr/bin/time over the whole clip.
 * Then, over the whole clip with the default settings: how often there is motion, how much changes,
 * and how much of the frame the regions cover (whether cropping the detector's input to the motion
 * would pay off).
 *
 *   npx tsx bench/motion-input.ts [--frames 200] [--passes 3] [--ffmpeg-passes 5]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from '../nodes/lib/image/sharp';
import { greyThumbnail } from '../nodes/lib/motion/grey-thumbnail';
import { boxArea, boxUnion, type Box } from '../nodes/lib/geometry/box';
import { GreyFrame, MotionDetector } from '../nodes/lib/motion/motion-detector';
import { findFfmpeg } from '../nodes/lib/video/ffmpeg-path';
import { packageRoot } from '../nodes/shared/package-root';
import { videoJpegFrames } from '../support/video/video-frames';
import { mean, median, percentile } from '../support/measure/samples';

const clip = path.join(packageRoot(__dirname), 'media', 'vtest.avi');
/** The demo clip's frame rate: frame n was captured at n * 100 ms. */
const CLIP_FPS = 10;
/** rtsp-in's JPEG settings. */
const JPEG_OUTPUT = ['-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2pipe'];
const THUMBNAIL_FILTER = ['-vf', 'scale=96:72,format=gray', '-f', 'rawvideo'];

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '200' },
    passes: { type: 'string', default: '3' },
    'ffmpeg-passes': { type: 'string', default: '5' },
  },
});
const timedFrames = Number(values.frames);
const passes = Number(values.passes);
const ffmpegPasses = Number(values['ffmpeg-passes']);

const ffmpeg = findFfmpeg();
if (!ffmpeg) throw new Error('ffmpeg not found: install ffmpeg or set FFMPEG_PATH');
const ffmpegPath = ffmpeg.path;

/** Every frame of the clip as a JPEG, cut out of ffmpeg's stream by the splitter rtsp-in uses. */
async function clipJpegs(): Promise<Buffer[]> {
  const video = videoJpegFrames(ffmpegPath, clip);
  const jpegs: Buffer[] = [];
  for await (const frame of video.frames) jpegs.push(frame.jpeg);
  await video.exited;
  return jpegs;
}

/** Process CPU (ms, user + system, every thread: libvips works in its own) that `work` takes. */
async function cpuMs(work: () => Promise<void> | void): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * The least over the passes of the CPU per item (ms) of `each` over `items`, after one warm-up
 * item: other work on the machine only ever adds to CPU time (cache misses, migrations), so the
 * least is the closest to the cost itself.
 */
async function cpuPerItem<T>(items: T[], each: (item: T) => Promise<unknown> | unknown): Promise<number> {
  await each(items[0]);
  const perPass: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const ms = await cpuMs(async () => {
      for (const item of items) await each(item);
    });
    perPass.push(ms / items.length);
  }
  return Math.min(...perPass);
}

/** CPU (ms, user + system of ffmpeg and its threads) of one ffmpeg run over the clip, by /usr/bin/time. */
function ffmpegCpuMs(outputs: string[]): number {
  const args = [
    '-f',
    '%U %S',
    ffmpegPath,
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-y',
    '-i',
    clip,
  ];
  const run = spawnSync('/usr/bin/time', [...args, ...outputs], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = String(run.stderr ?? '');
  if (run.error || run.status !== 0) {
    throw new Error(
      `ffmpeg under /usr/bin/time failed (is GNU time installed?): ${run.error?.message ?? stderr}`,
    );
  }
  const [user, system] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return (user + system) * 1000;
}

/**
 * ffmpeg's CPU per frame (ms) with the `base` outputs, and how much more it takes with `extra` added:
 * the two runs alternate (so a burst of other work hits both alike) and each keeps its least over
 * the passes. The difference is a few % of a run, so it takes more passes than the rest.
 */
function ffmpegCpuPerFrame(base: string[], extra: string[], frames: number): [number, number] {
  const without: number[] = [];
  const withExtra: number[] = [];
  for (let pass = 0; pass < ffmpegPasses; pass++) {
    without.push(ffmpegCpuMs(base) / frames);
    withExtra.push(ffmpegCpuMs([...base, ...extra]) / frames);
  }
  return [Math.min(...without), Math.min(...withExtra) - Math.min(...without)];
}

const unionArea = (regions: Box[]) => boxArea(regions.reduce(boxUnion));

async function main(): Promise<void> {
  const jpegs = await clipJpegs();
  const timed = jpegs.slice(0, timedFrames);
  const meanKb = mean(timed.map((j) => j.length)) / 1024;
  console.log(
    `${path.basename(clip)}: ${jpegs.length} frames; timing ${timed.length} JPEGs (~${meanKb.toFixed(0)} kB each), ` +
      `least of ${passes} passes`,
  );

  const rows: Array<[string, number]> = [];
  rows.push(['(a) greyThumbnail, 96 px wide (96x72)', await cpuPerItem(timed, (j) => greyThumbnail(j, 96))]);
  rows.push([
    '    greyThumbnail, 80 px wide (loads at 1/8, not 1/4)',
    await cpuPerItem(timed, (j) => greyThumbnail(j, 80)),
  ]);
  rows.push([
    '(b) greyThumbnail, 192 px wide (192x144)',
    await cpuPerItem(timed, (j) => greyThumbnail(j, 192)),
  ]);
  rows.push([
    "    sharp's greyscale() at 96 px (grey before the resize)",
    await cpuPerItem(timed, (j) =>
      sharp(j).resize({ width: 96, kernel: 'linear' }).greyscale().raw().toBuffer(),
    ),
  ]);
  // sharp's fixed cost per call (pipeline, threads, a tiny decode): the floor under every row above.
  const tiny = await sharp({ create: { width: 96, height: 72, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  rows.push([
    '    sharp, any 96x72 JPEG to raw (its cost per call)',
    await cpuPerItem(timed, () => sharp(tiny).raw().toBuffer()),
  ]);
  rows.push([
    '(c) full-size decode to raw grey (768x576)',
    await cpuPerItem(timed, (j) => sharp(j).greyscale().raw().toBuffer()),
  ]);
  rows.push(['    full-size decode to raw RGB', await cpuPerItem(timed, (j) => sharp(j).raw().toBuffer())]);

  const thumbnails: GreyFrame[] = [];
  for (const j of jpegs) thumbnails.push(await greyThumbnail(j, 96));
  const larger: GreyFrame[] = [];
  for (const j of timed) larger.push(await greyThumbnail(j, 192));
  // Each pass feeds the timed frames to a fresh detector, 10 times over (one update is tens of µs).
  const updateCpu = async (frames: GreyFrame[]) => {
    const repeats = 10;
    const perFrame = await cpuPerItem([0], () => {
      for (let r = 0; r < repeats; r++) {
        const detector = new MotionDetector();
        frames.forEach((f, i) => detector.update(f, (i * 1000) / CLIP_FPS));
      }
    });
    return perFrame / (repeats * frames.length);
  };
  rows.push(['(d) MotionDetector.update, 96x72', await updateCpu(thumbnails.slice(0, timed.length))]);
  rows.push(['    MotionDetector.update, 192x144', await updateCpu(larger)]);

  const thumbnailOutput = ['-an', ...THUMBNAIL_FILTER, '/dev/null'];
  const [jpegOnly, thumbnailExtra] = ffmpegCpuPerFrame(
    ['-an', ...JPEG_OUTPUT, '/dev/null'],
    thumbnailOutput,
    jpegs.length,
  );
  rows.push(['    ffmpeg decode + JPEG encode (whole clip)', jpegOnly]);
  rows.push(['(e) ffmpeg: extra for a 2nd output, 96x72 grey raw', thumbnailExtra]);
  // The same extra without the JPEG encoder's CPU (and its noise) in both runs.
  const [decodeOnly, thumbnailAlone] = ffmpegCpuPerFrame(
    ['-an', '-f', 'null', '/dev/null'],
    thumbnailOutput,
    jpegs.length,
  );
  rows.push(['    ffmpeg decode only', decodeOnly]);
  rows.push(['    ffmpeg: extra for the 96x72 grey output beside a decode only', thumbnailAlone]);

  console.log('\n| step | ms CPU per frame |\n| --- | ---: |');
  for (const [step, ms] of rows) console.log(`| ${step.trim()} | ${ms.toFixed(3)} |`);

  // The whole clip with the default settings.
  const detector = new MotionDetector();
  const changed: number[] = [];
  const unions: number[] = [];
  const sums: number[] = [];
  const regionCounts: number[] = [];
  let motionFrames = 0;
  let lightChanges = 0;
  thumbnails.forEach((frame, i) => {
    const result = detector.update(frame, (i * 1000) / CLIP_FPS);
    if (result.warmingUp) return;
    changed.push(result.changedFraction);
    if (result.lightChange) lightChanges++;
    if (!result.motion) return;
    motionFrames++;
    regionCounts.push(result.regions.length);
    unions.push(unionArea(result.regions));
    sums.push(result.regions.reduce((total, [x1, y1, x2, y2]) => total + (x2 - x1) * (y2 - y1), 0));
  });
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  console.log(
    `\nWhole clip, default settings, ${changed.length} frames after the first:\n` +
      `- motion in ${pct(motionFrames / changed.length)} of frames, light changes ${lightChanges}\n` +
      `- changed share of the frame: median ${pct(median(changed))}, ` +
      `p10 ${pct(percentile(changed, 10))}, p90 ${pct(percentile(changed, 90))}, max ${pct(Math.max(...changed))}\n` +
      `- regions per motion frame: mean ${mean(regionCounts).toFixed(1)}; ` +
      `union of the regions: mean ${pct(mean(unions))} of the frame (median ${pct(median(unions))}); ` +
      `sum of the regions: mean ${pct(mean(sums))}`,
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
