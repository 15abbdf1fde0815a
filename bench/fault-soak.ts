// npm run soak [-- --minutes 30 --restart-every 5]
// The full default flow in a real Node-RED (started like `npm start`) watching a real RTSP camera
// that plays the clip, with one viewer on the overlay, for a long time; every few minutes the camera
// is killed and comes back after 2 s, 30 s or 60 s (the fault suite's camera restarts). Every 10 s:
// Node-RED's RSS and heap, open handles and timers, ffmpeg processes, frame rate. Prints a summary
// line and writes a plot (.bench/fault-soak.png).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { demoClipH264Repeated, projectRoot } from '../support/assets';
import { MjpegTestClient } from '../support/video/mjpeg-client';
import { sleep } from '../support/processes';
import { RtspTestServer } from '../support/video/rtsp-server';
import { FaultContext } from '../test/faults/fault';
import { openStoreBox, StoreBox } from '../test/faults/store-box';
import { plotPng } from '../support/measure/plot';
import { mean } from '../support/measure/samples';

interface Sample {
  minute: number;
  rssMb: number;
  heapMb: number;
  handles: number;
  timers: number;
  ffmpeg: number;
  cameraFps: number;
  viewerFps: number;
}

const OUTAGES_S = [2, 30, 2, 60];
const SAMPLE_MS = 10000;

async function sample(box: StoreBox, viewer: MjpegTestClient, since: number, framesBefore: number) {
  const probe = await box.probe();
  const stats = await box.statistics().catch(() => null);
  const cameraFps = Number(/^streaming (\d+(?:\.\d+)?) fps/.exec(stats?.cameraStatus ?? '')?.[1] ?? 0);
  const { Timeout: timers = 0, ...others } = probe.resources;
  return {
    minute: (Date.now() - since) / 60000,
    rssMb: probe.rssMb,
    heapMb: probe.heapUsedMb,
    handles: Object.values(others).reduce((a, b) => a + b, 0),
    timers,
    ffmpeg: box.ffmpeg().length,
    cameraFps,
    viewerFps: ((viewer.frames.length - framesBefore) * 1000) / SAMPLE_MS,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      'restart-every': { type: 'string', default: '5' },
    },
  });
  const minutes = Number(values.minutes);
  const restartEveryMs = Number(values['restart-every']) * 60000;
  const cleanups: Array<() => unknown> = [];
  const problems: string[] = [];
  const ctx: FaultContext = {
    scale: 1,
    defer: (cleanup) => cleanups.push(cleanup),
    check: (ok, observed) => {
      if (!ok) problems.push(observed);
    },
    log: (text) => console.log(text),
  };
  console.log(
    `soak with camera restarts: ${minutes} min, camera killed every ${values['restart-every']} min, ${os.cpus().length} cores (${os.cpus()[0]?.model})`,
  );
  // A camera that plays long enough not to end by itself during the soak.
  const file = demoClipH264Repeated(Math.ceil((minutes * 60) / 79) + 1);
  const server = await RtspTestServer.start({ file });
  cleanups.push(() => server.stop());
  const samples: Sample[] = [];
  const restarts: Array<{ minute: number; outageS: number; backAfterS: number }> = [];
  try {
    const box = await openStoreBox(ctx, { cameraUrl: server.url });
    await box.waitForStatistics((s) => /^streaming/.test(s.cameraStatus), 60000, 'the camera to stream');
    const viewer = new MjpegTestClient(`${box.url}/overlay_feed`);
    cleanups.push(() => viewer.close());
    const startedAt = Date.now();
    const endAt = startedAt + minutes * 60000;
    // Samples every 10 s on their own schedule, so the outages show in the plot.
    const sampler = (async () => {
      while (Date.now() < endAt) {
        const framesBefore = viewer.frames.length;
        await sleep(SAMPLE_MS);
        const last = await sample(box, viewer, startedAt, framesBefore);
        samples.push(last);
        if (viewer.frames.length > 100) viewer.frames.splice(0); // keep the counter, not the frames
        if (samples.length % 6 === 0) {
          console.log(
            `  minute ${last.minute.toFixed(0)}: RSS ${last.rssMb.toFixed(0)} MB, heap ${last.heapMb.toFixed(0)} MB, handles ${last.handles}, timers ${last.timers}, ffmpeg ${last.ffmpeg}, camera ${last.cameraFps} fps`,
          );
        }
      }
    })();
    // The camera is killed every few minutes (none in the last two, so the end is measured running).
    while (Date.now() + restartEveryMs < endAt - 120000) {
      await sleep(restartEveryMs);
      const outageS = OUTAGES_S[restarts.length % OUTAGES_S.length];
      const minute = (Date.now() - startedAt) / 60000;
      await server.kill();
      await sleep(outageS * 1000);
      await server.start();
      const backAt = Date.now();
      await box.waitForStatistics(
        (s) => /^streaming/.test(s.cameraStatus) && s.updatedAt > backAt,
        90000,
        'the camera to stream again',
      );
      const backAfterS = (Date.now() - backAt) / 1000;
      restarts.push({ minute, outageS, backAfterS });
      console.log(
        `  minute ${minute.toFixed(1)}: camera down ${outageS} s, streaming again ${backAfterS.toFixed(1)} s after it came back`,
      );
    }
    await sampler;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }

  // Flat: the mean of the first fifth against the last fifth (restarts included in both).
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const early = mean(samples.slice(0, fifth).map((s) => s.rssMb));
  const late = mean(samples.slice(-fifth).map((s) => s.rssMb));
  const heapEarly = mean(samples.slice(0, fifth).map((s) => s.heapMb));
  const heapLate = mean(samples.slice(-fifth).map((s) => s.heapMb));
  const series = (pick: (s: Sample) => number) => samples.map((s) => [s.minute, pick(s)] as [number, number]);
  const png = await plotPng(
    `Soak with camera restarts: default flow, RTSP camera killed every ${values['restart-every']} min (${os.cpus().length} cores)`,
    [
      { title: 'overlay frames per second a viewer gets', unit: 'fps', points: series((s) => s.viewerFps) },
      { title: 'Node-RED process RSS', unit: 'MB', points: series((s) => s.rssMb) },
      { title: 'open handles (without timers)', unit: 'count', points: series((s) => s.handles) },
      { title: 'ffmpeg processes', unit: 'count', points: series((s) => s.ffmpeg) },
    ],
  );
  const out = path.join(projectRoot, '.bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'fault-soak.png'), png);
  console.log(`plot: ${path.join(out, 'fault-soak.png')}`);
  console.log(
    JSON.stringify({
      soakMinutes: Number((samples[samples.length - 1]?.minute ?? 0).toFixed(1)),
      cameraRestarts: restarts.length,
      reconnectedAfterSMax: Number(Math.max(0, ...restarts.map((r) => r.backAfterS)).toFixed(1)),
      rssEarlyMb: Number(early.toFixed(1)),
      rssLateMb: Number(late.toFixed(1)),
      rssGrowthPercent: Number((((late - early) / early) * 100).toFixed(1)),
      heapEarlyMb: Number(heapEarly.toFixed(1)),
      heapLateMb: Number(heapLate.toFixed(1)),
      handlesMin: Math.min(...samples.map((s) => s.handles)),
      handlesMax: Math.max(...samples.map((s) => s.handles)),
      timersMax: Math.max(...samples.map((s) => s.timers)),
      ffmpegMax: Math.max(...samples.map((s) => s.ffmpeg)),
      problems,
    }),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
