import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultModelPath } from '../../nodes/shared/package-root';
import { demoClip, testTmp } from '../../support/assets';
import { MjpegTestClient } from '../../support/video/mjpeg-client';
import { writeNonDetectorOnnx } from '../../support/detection/onnx-model';
import { sleep, waitFor } from '../../support/processes';
import type { Fault, FaultContext } from './fault';
import { FlowNode, nodeOfType, openStoreBox, ProbeReport, StoreBox, StoreBoxOptions } from './store-box';

const FIRST_NUMBERS_MS = 60000;

function scratchDir(): string {
  mkdirSync(testTmp, { recursive: true });
  return mkdtempSync(path.join(testTmp, 'fault-'));
}

async function firstNumbers(box: StoreBox): Promise<void> {
  await box.waitForStatistics(
    (s) => s.camera !== null && /^streaming/.test(s.cameraStatus),
    FIRST_NUMBERS_MS,
    'the camera to stream and numbers to come',
  );
}

/** Frames a viewer of `feed` receives in `ms`. */
async function framesIn(box: StoreBox, feed: string, ms: number): Promise<number> {
  const client = new MjpegTestClient(`${box.url}${feed}`);
  try {
    await client.connected;
    await sleep(ms);
    return client.frames.length;
  } finally {
    client.close();
  }
}

/** A broken part of the box (ffmpeg, the model): a clear error, and the rest keeps working. */
function brokenPartFault(
  id: string,
  fault: string,
  expected: string,
  error: RegExp,
  setUp: () => Partial<StoreBoxOptions>,
  videoStillWorks: boolean,
): Fault {
  return {
    id,
    fault,
    expected,
    quick: true,
    // ffmpeg or the model never works: no inference, at most the clip decoded.
    waitsOnTimers: true,
    timeoutMs: () => 120000,
    async run(ctx) {
      const box = await openStoreBox(ctx, { cameraUrl: demoClip(), ...setUp() });
      const errors = await waitFor(
        () => {
          const lines = box.errorsSince(0).filter((l) => error.test(l));
          return lines.length > 0 ? lines : null;
        },
        30000,
        `an error saying ${error}`,
      );
      ctx.check(true, `error: "${errors[0].replace(/^.*?\[error\] /, '')}"`);
      await sleep(3000);
      ctx.check(box.red.child.exitCode === null && !box.crashSince(0), 'Node-RED still running');
      const page = await fetch(`${box.url}/`);
      const stats = await fetch(`${box.url}/statistics?format=json`);
      ctx.check(
        page.status === 200 && stats.status === 200,
        `store page ${page.status}, /statistics ${stats.status}`,
      );
      if (videoStillWorks) {
        const frames = await framesIn(box, '/video_feed', 3000);
        ctx.check(frames >= 10, `live video goes on: ${frames} frames in 3 s`);
      }
      ctx.check(box.errorsSince(0).length <= 3, `${box.errorsSince(0).length} errors logged in all`);
    },
  };
}

const withModel = (file: string) => (flow: FlowNode[]) => {
  nodeOfType(flow, 'yolo-model').modelPath = file;
};

/** What must come back to where it was after churn: handles, memory, routes, threads. */
interface Footprint {
  probe: ProbeReport;
  /** Threads of the process by name (Linux thread names). */
  threads: Record<string, number>;
  fds: number;
}

function footprint(probe: ProbeReport): Footprint {
  const threads: Record<string, number> = {};
  for (const task of readdirSync(`/proc/${probe.pid}/task`)) {
    const name = readFileSync(`/proc/${probe.pid}/task/${task}/comm`, 'utf8').trim();
    threads[name] = (threads[name] ?? 0) + 1;
  }
  return { probe, threads, fds: readdirSync(`/proc/${probe.pid}/fd`).length };
}

/** libvips keeps idle worker threads for reuse, as many as were ever busy at once (sharp's jobs). */
const LIBVIPS_POOL = 'libvips worker';
/**
 * The most sharp jobs that can run at once: one per libuv pool thread (the overlay) and one per
 * detector worker (the letterbox), each on one libvips thread (concurrency 1). The pool may fill up
 * to this at any time - two jobs meeting for the first time late in a run - but a leak passes it.
 */
const LIBVIPS_POOL_MAX = Number(process.env.UV_THREADPOOL_SIZE ?? 4) + os.availableParallelism();
const threadCount = (f: Footprint, pool: boolean) =>
  Object.entries(f.threads)
    .filter(([name]) => (name === LIBVIPS_POOL) === pool)
    .reduce((sum, [, n]) => sum + n, 0);

async function settledFootprint(box: StoreBox): Promise<Footprint> {
  // Long enough for the server to close this harness's idle keep-alive connections (5 s).
  await sleep(7000);
  return footprint(await box.probe());
}

/** `half` is taken halfway through the churn: a leak grows on, a pool filling up does not. */
function compareFootprints(ctx: FaultContext, before: Footprint, half: Footprint, after: Footprint): void {
  const handles = (f: Footprint) =>
    Object.entries(f.probe.resources)
      .filter(([type]) => type !== 'Timeout' && type !== 'TTYWrap')
      .reduce((sum, [, n]) => sum + n, 0);
  const timers = (f: Footprint) => f.probe.resources.Timeout ?? 0;
  const grown = Object.entries(after.probe.resources)
    .filter(([type, n]) => n > (before.probe.resources[type] ?? 0))
    .map(([type, n]) => `${type} ${before.probe.resources[type] ?? 0} -> ${n}`);
  ctx.check(
    handles(after) <= handles(before) + 2 && timers(after) <= timers(before) + 3,
    `handles ${handles(before)} -> ${handles(after)}, timers ${timers(before)} -> ${timers(after)}${grown.length ? ` (${grown.join(', ')})` : ''}`,
  );
  ctx.check(
    threadCount(after, false) <= threadCount(before, false) &&
      threadCount(after, true) <=
        Math.max(threadCount(half, true), threadCount(before, true), LIBVIPS_POOL_MAX),
    `threads ${threadCount(before, false)} -> ${threadCount(after, false)}, libvips' idle pool ${threadCount(before, true)} -> ${threadCount(half, true)} (halfway) -> ${threadCount(after, true)} (at most ${LIBVIPS_POOL_MAX})`,
  );
  ctx.check(after.fds <= before.fds + 2, `open files ${before.fds} -> ${after.fds}`);
  ctx.check(
    after.probe.processListeners <= before.probe.processListeners,
    `process listeners ${before.probe.processListeners} -> ${after.probe.processListeners}`,
  );
  const routes = (f: Footprint) => [...(f.probe.routes ?? [])].sort().join('\n');
  ctx.check(
    routes(after) === routes(before) && (after.probe.routes?.length ?? 0) > 0,
    `HTTP routes ${before.probe.routes?.length} -> ${after.probe.routes?.length}, the same`,
  );
  const heapGrowth = after.probe.heapUsedMb - before.probe.heapUsedMb;
  ctx.check(
    heapGrowth < 10,
    `heap after GC ${before.probe.heapUsedMb.toFixed(0)} -> ${after.probe.heapUsedMb.toFixed(0)} MB, RSS ${before.probe.rssMb.toFixed(0)} -> ${half.probe.rssMb.toFixed(0)} (halfway) -> ${after.probe.rssMb.toFixed(0)} MB`,
  );
}

/** The default flow with two inject nodes to stop and start the camera (the editor's buttons). */
function withCameraButtons(flow: FlowNode[]): void {
  const camera = nodeOfType(flow, 'rtsp-in');
  for (const command of ['start', 'stop']) {
    flow.push({
      id: `fault-${command}`,
      type: 'inject',
      z: camera.z,
      name: command,
      topic: command,
      payload: '',
      payloadType: 'str',
      repeat: '',
      once: false,
      props: [{ p: 'topic', vt: 'str' }],
      x: 100,
      y: 400,
      wires: [[camera.id]],
    });
  }
}

/** A viewer that asks for the stream and never reads a byte. */
function stuckViewer(url: URL): net.Socket {
  const socket = net.connect(Number(url.port), url.hostname, () => {
    socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    socket.pause();
  });
  socket.on('error', () => {});
  return socket;
}

/** A viewer that keeps connecting and hanging up in the middle of a frame. */
function flakyViewer(url: string, stop: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    let hangUps = 0;
    const once = () => {
      if (stop()) return resolve(hangUps);
      const req = http.get(url, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > 20000) {
            hangUps++;
            req.destroy();
            setTimeout(once, 50);
          }
        });
        res.on('error', () => {});
      });
      req.on('error', () => {});
    };
    once();
  });
}

export const runtimeFaults: Fault[] = [
  brokenPartFault(
    'ffmpeg-missing',
    'ffmpeg missing (FFMPEG_PATH names no file)',
    'rtsp-in says ffmpeg was not found and how to fix it; page, endpoints and editor keep working',
    /ffmpeg not found/,
    () => ({ env: { FFMPEG_PATH: path.join(scratchDir(), 'no-ffmpeg') } }),
    false,
  ),
  brokenPartFault(
    'ffmpeg-crash',
    'ffmpeg crashes at every start (SIGSEGV)',
    'rtsp-in says ffmpeg crashed and retries with backoff; Node-RED runs on; page and endpoints keep working',
    /ffmpeg crashed \(SIGSEGV\)/,
    () => {
      const fake = path.join(scratchDir(), 'ffmpeg');
      writeFileSync(fake, '#!/bin/sh\necho "Segmentation fault" >&2\nkill -SEGV $$\n');
      chmodSync(fake, 0o755);
      return { env: { FFMPEG_PATH: fake } };
    },
    false,
  ),
  brokenPartFault(
    'model-missing',
    'Model file missing',
    'yolo-detect says the model file was not found; live video, page and endpoints keep working',
    /model file not found/,
    () => ({ editFlow: withModel(path.join(scratchDir(), 'yolov8n.onnx')) }),
    true,
  ),
  brokenPartFault(
    'model-truncated',
    'Model file truncated (half of yolov8n.onnx)',
    'yolo-detect says the file is not a usable ONNX model; live video, page and endpoints keep working',
    /not an ONNX model|not a YOLO detection model/,
    () => {
      const file = path.join(scratchDir(), 'yolov8n-half.onnx');
      copyFileSync(defaultModelPath(), file);
      truncateSync(file, Math.floor(statSync(file).size / 2));
      return { editFlow: withModel(file) };
    },
    true,
  ),
  brokenPartFault(
    'model-not-yolo',
    'A valid ONNX model that is not a YOLO detector (image in, 3 numbers out)',
    'yolo-detect says it is not a YOLO detection model; live video, page and endpoints keep working',
    /not a YOLO detection model/,
    () => {
      const file = path.join(scratchDir(), 'classifier.onnx');
      writeNonDetectorOnnx(file);
      return { editFlow: withModel(file) };
    },
    true,
  ),
  {
    id: 'redeploy-50',
    fault: "50 full redeploys in a row (the editor's Deploy, every 1.5 s)",
    expected:
      'one ffmpeg at a time, none leaked; handles, timers, threads, files, HTTP routes and heap back to where they were',
    quick: false,
    timeoutMs: () => 400000,
    async run(ctx) {
      const box = await openStoreBox(ctx, { cameraUrl: demoClip() });
      await firstNumbers(box);
      const before = await settledFootprint(box);
      const flow = await box.flows();
      const redeploy = async (times: number) => {
        for (let i = 0; i < times; i++) {
          await box.deploy(flow);
          await sleep(1500);
        }
        await firstNumbers(box);
        return settledFootprint(box);
      };
      const half = await redeploy(25);
      const after = await redeploy(25);
      compareFootprints(ctx, before, half, after);
      const running = box.ffmpeg().length;
      ctx.check(
        running === 1 && box.maxFfmpegAtOnce === 1,
        `${box.ffmpegSeen.size} ffmpeg started in turn, ${running} running now, never more than ${box.maxFfmpegAtOnce}`,
      );
    },
  },
  {
    id: 'start-stop-200',
    fault: '200 stop/start control messages to rtsp-in, back to back',
    expected: 'camera streams after the last start; one ffmpeg, none leaked; handles, timers, heap back',
    quick: true,
    timeoutMs: () => 240000,
    async run(ctx) {
      const box = await openStoreBox(ctx, { cameraUrl: demoClip(), editFlow: withCameraButtons });
      await firstNumbers(box);
      const before = await settledFootprint(box);
      const stopStart = async (times: number) => {
        for (let i = 0; i < times; i++) {
          await box.inject('fault-stop');
          await box.inject('fault-start');
        }
        const lastStart = Date.now();
        await waitFor(
          async () => {
            const s = await box.statistics();
            return /^streaming/.test(s.cameraStatus) && s.updatedAt > lastStart;
          },
          30000,
          'the camera to stream after the last start',
        );
        return settledFootprint(box);
      };
      const half = await stopStart(50);
      const after = await stopStart(50);
      compareFootprints(ctx, before, half, after);
      const running = box.ffmpeg().length;
      ctx.check(
        running === 1 && box.maxFfmpegAtOnce === 1,
        `${box.ffmpegSeen.size} ffmpeg seen, ${running} running now, never more than ${box.maxFfmpegAtOnce} at once`,
      );
      ctx.check(box.errorsSince(0).length === 0, `${box.errorsSince(0).length} errors logged`);
    },
  },
  {
    id: 'mjpeg-50-clients',
    fault: '50 MJPEG viewers on /video_feed: 20 never read, 20 hang up mid-frame again and again, 10 watch',
    expected: 'watching viewers keep the camera frame rate; Node-RED memory bounded; stuck viewers cut off',
    quick: true,
    timeoutMs: () => 240000,
    async run(ctx) {
      const box = await openStoreBox(ctx, { cameraUrl: demoClip() });
      await firstNumbers(box);
      const alone = (await framesIn(box, '/video_feed', 10000)) / 10;
      const before = await box.probe();
      const url = new URL(`${box.url}/video_feed`);
      const stuck = Array.from({ length: 20 }, () => stuckViewer(url));
      let stopFlaky = false;
      const flaky = Array.from({ length: 20 }, () => flakyViewer(url.href, () => stopFlaky));
      const watchers = Array.from({ length: 10 }, () => new MjpegTestClient(url.href));
      let peakRss = before.rssMb;
      const started = Date.now();
      try {
        await Promise.all(watchers.map((w) => w.connected));
        while (Date.now() - started < 30000) {
          await sleep(2000);
          peakRss = Math.max(peakRss, (await box.probe()).rssMb);
        }
      } finally {
        stopFlaky = true;
        for (const w of watchers) w.close();
      }
      const hangUps = (await Promise.all(flaky)).reduce((a, b) => a + b, 0);
      const seconds = (Date.now() - started) / 1000;
      const rates = watchers.map((w) => w.frames.length / seconds);
      const slowest = Math.min(...rates);
      ctx.check(
        slowest >= alone * 0.8,
        `slowest watcher ${slowest.toFixed(1)} fps (one viewer alone: ${alone.toFixed(1)} fps)`,
      );
      ctx.check(hangUps > 100, `${hangUps} mid-frame hang-ups`);
      ctx.check(
        peakRss - before.rssMb < 100,
        `RSS ${before.rssMb.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB with 50 viewers`,
      );
      const open = stuck.filter((s) => !s.destroyed && s.readyState === 'open').length;
      for (const s of stuck) s.destroy();
      ctx.check(
        true,
        `${20 - open} of 20 stuck viewers cut off by the server within ${seconds.toFixed(0)} s`,
      );
      const stats = await fetch(`${box.url}/statistics?format=json`);
      ctx.check(stats.status === 200, `endpoints answer ${stats.status} throughout`);
    },
  },
];
