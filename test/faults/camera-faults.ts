import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RtspTestServer } from '../../support/video/rtsp-server';
import { sleep } from '../../support/processes';
import { BrokenCamera, garbageCamera, silentCamera, webPage } from './broken-cameras';
import type { Fault, FaultContext } from './fault';
import { FlowNode, nodeOfType, openStoreBox, Statistics, StoreBox } from './store-box';

/** Loading the model and the first analysed frame take a few seconds on 2 cores. */
const FIRST_NUMBERS_MS = 60000;
/** rtsp-in's longest wait between reconnect attempts (nodes/lib/video/backoff.ts). */
const BACKOFF_MAX_S = 60;

const streaming = (s: Statistics) => /^streaming/.test(s.cameraStatus);

const withStallTimeout = (seconds: number) => (flow: FlowNode[]) => {
  nodeOfType(flow, 'rtsp-in').stallTimeout = seconds;
};

function cameraRestart(label: string, outageS: number, quick: boolean): Fault {
  return {
    id: `camera-restart-${outageS}s`,
    fault: `RTSP camera killed mid-stream (SIGKILL), back after ${label}`,
    expected:
      'rtsp-in reconnects by itself; the outage is counted as a camera gap; never more than one ffmpeg',
    quick,
    timeoutMs: (scale) => FIRST_NUMBERS_MS + outageS * 1000 * scale + (BACKOFF_MAX_S + 60) * 1000,
    async run(ctx) {
      const outageMs = outageS * 1000 * ctx.scale;
      const server = await RtspTestServer.start();
      ctx.defer(() => server.stop());
      const box = await openStoreBox(ctx, { cameraUrl: server.url });
      const before = await box.waitForStatistics(
        (s) => s.camera !== null && streaming(s),
        FIRST_NUMBERS_MS,
        'numbers',
      );

      await server.kill();
      const downAt = Date.now();
      const down = await box.waitForStatistics((s) => /reconnecting/.test(s.cameraStatus), 20000, 'status');
      ctx.check(true, `status "${down.cameraStatus}"`);
      await sleep(Math.max(0, downAt + outageMs - Date.now()));
      await server.start();
      const backAt = Date.now();
      ctx.log(`camera back after ${((backAt - downAt) / 1000).toFixed(0)} s`);
      await box.waitForStatistics(
        (s) => streaming(s) && s.updatedAt > backAt,
        (BACKOFF_MAX_S + 30) * 1000,
        'frames after the camera came back',
      );
      const reconnectS = (Date.now() - backAt) / 1000;
      ctx.check(reconnectS <= BACKOFF_MAX_S + 10, `streaming again ${reconnectS.toFixed(1)} s after`);
      await sleep(3000);
      const after = await box.statistics();
      const gap = after.cameraGapSeconds - before.cameraGapSeconds;
      const outage = (backAt - downAt) / 1000;
      ctx.check(
        gap >= outage * 0.8 && gap <= outage + reconnectS + 5,
        `camera gap +${gap.toFixed(1)} s for a ${outage.toFixed(1)} s outage`,
      );
      ctx.check(box.maxFfmpegAtOnce === 1, `at most ${box.maxFfmpegAtOnce} ffmpeg at once`);
    },
  };
}

/** One rtsp-in fault that keeps failing: clear status and log, one error per attempt. */
async function expectCameraError(
  ctx: FaultContext,
  box: StoreBox,
  message: RegExp,
  secret?: string,
): Promise<void> {
  const mark = box.logMark();
  const startedAt = Date.now();
  const status = await box.waitForStatistics((s) => message.test(s.cameraStatus), 40000, `status ${message}`);
  ctx.check(/reconnecting in \d+ s/.test(status.cameraStatus), `status "${status.cameraStatus}"`);
  // Attempts come after 5, 10, 20 s... (backoff): the countdown in the status jumps up at each one.
  const delays: number[] = [];
  let last = Infinity;
  // Errors are read just before each status poll, so every error counted had its attempt's status
  // visible to that poll (an attempt failing as the 30 s end would otherwise be logged but not counted).
  let errors: string[] = [];
  while (Date.now() < startedAt + 30000) {
    errors = box.errorsSince(mark, /rtsp-in/);
    const s = await box.statistics().catch(() => null);
    const countdown = /reconnecting in (\d+) s/.exec(s?.cameraStatus ?? '');
    if (countdown && Number(countdown[1]) > last) delays.push(Number(countdown[1]));
    if (countdown) last = Number(countdown[1]);
    await sleep(300);
  }
  ctx.check(delays.length >= 1, `retried, waiting ${[5, ...delays].join(', ')} s`);
  // Each kind of failure is logged once while the camera stays down, not at every retry: no log flood.
  const clear = errors.filter((line) => message.test(line));
  const kinds = new Set(errors.map((line) => line.replace(/^.*\[rtsp-in:[^\]]*\] /, '')));
  ctx.check(
    errors.length >= 1 &&
      errors.length <= delays.length + 1 &&
      kinds.size === errors.length &&
      clear.length === errors.length,
    `${errors.length} error logged for ${delays.length + 1} attempts (${[...kinds].map((k) => `"${k}"`).join(', ') || 'none'})`,
  );
  const page = await fetch(`${box.url}/`);
  ctx.check(page.status === 200, `store page answers ${page.status}`);
  if (secret) {
    const places: Record<string, string> = {
      log: box.logSince(),
      status: status.cameraStatus,
      '/statistics': JSON.stringify(await box.statistics()),
      'flow export': JSON.stringify(await box.flows()),
      'flows_cred.json': readFileSync(path.join(box.userDir, 'flows_cred.json'), 'utf8'),
      'ps (ffmpeg)': box
        .ffmpeg()
        .map((p) => p.args)
        .join('\n'),
    };
    const leaks = Object.entries(places)
      .filter(([, text]) => text.includes(secret) || text.includes(encodeURIComponent(secret)))
      .map(([where]) => where);
    ctx.check(
      leaks.length === 0,
      leaks.length === 0
        ? `password in none of: ${Object.keys(places).join(', ')}`
        : `password shown in ${leaks.join(', ')}`,
    );
  }
}

/** A box whose camera is `url`, with `credentials` set from the editor (a deploy). */
async function boxWithCamera(
  ctx: FaultContext,
  url: string,
  credentials?: { user: string; password: string },
  stallTimeoutS?: number,
): Promise<StoreBox> {
  const box = await openStoreBox(ctx, {
    cameraUrl: url,
    editFlow: stallTimeoutS ? withStallTimeout(stallTimeoutS) : undefined,
  });
  if (credentials) {
    const flow = await box.flows();
    nodeOfType(flow, 'rtsp-in').credentials = credentials;
    await box.deploy(flow);
  }
  return box;
}

function brokenCameraFault(
  id: string,
  fault: string,
  expected: string,
  message: RegExp,
  setUp: (ctx: FaultContext) => Promise<{ url: string; credentials?: { user: string; password: string } }>,
  stallTimeoutS?: number,
): Fault {
  return {
    id,
    fault,
    expected,
    quick: true,
    waitsOnTimers: true,
    timeoutMs: () => 120000,
    async run(ctx) {
      const { url, credentials } = await setUp(ctx);
      const box = await boxWithCamera(ctx, url, credentials, stallTimeoutS);
      await expectCameraError(ctx, box, message, credentials?.password);
    },
  };
}

async function brokenCamera(ctx: FaultContext, make: () => Promise<BrokenCamera>): Promise<BrokenCamera> {
  const camera = await make();
  ctx.defer(() => camera.close());
  return camera;
}

const PASSWORD = 'Till-Cam:p@ss/42';

export const cameraFaults: Fault[] = [
  cameraRestart('2 s', 2, true),
  cameraRestart('30 s', 30, false),
  cameraRestart('5 min', 300, false),
  {
    id: 'camera-stall',
    fault: 'RTSP camera hangs mid-stream (SIGSTOP: connection open, nothing sent) for 15 s',
    expected: 'stall watchdog (set to 5 s) restarts ffmpeg; streaming again once the camera answers',
    quick: true,
    timeoutMs: () => 180000,
    async run(ctx) {
      const server = await RtspTestServer.start();
      ctx.defer(() => server.stop());
      const box = await openStoreBox(ctx, { cameraUrl: server.url, editFlow: withStallTimeout(5) });
      await box.waitForStatistics((s) => s.camera !== null && streaming(s), FIRST_NUMBERS_MS, 'numbers');
      const mark = box.logMark();
      server.pause();
      try {
        const status = await box.waitForStatistics(
          (s) => /no picture from the camera for 5 s/.test(s.cameraStatus),
          15000,
          'the watchdog',
        );
        ctx.check(true, `watchdog: "${status.cameraStatus}"`);
        await sleep(10000);
      } finally {
        server.resume();
      }
      const resumedAt = Date.now();
      await box.waitForStatistics(
        (s) => streaming(s) && s.updatedAt > resumedAt,
        (BACKOFF_MAX_S + 30) * 1000,
        'frames after the camera answered again',
      );
      ctx.check(true, `streaming again ${((Date.now() - resumedAt) / 1000).toFixed(1)} s after it answered`);
      const errors = box.errorsSince(mark, /rtsp-in/);
      ctx.check(errors.length >= 1 && errors.length <= 4, `${errors.length} errors logged`);
      ctx.check(box.maxFfmpegAtOnce === 1, `at most ${box.maxFfmpegAtOnce} ffmpeg at once`);
    },
  },
  brokenCameraFault(
    'camera-silent',
    'Camera accepts the connection and never answers',
    'watchdog gives up after the stall timeout (5 s); retries with backoff; clear status',
    /camera did not send a picture within 5 s of connecting/,
    async (ctx) => ({ url: `rtsp://127.0.0.1:${(await brokenCamera(ctx, silentCamera)).port}/cam` }),
    5,
  ),
  brokenCameraFault(
    'camera-garbage',
    'Camera answers with random bytes',
    'watchdog restarts ffmpeg; retries with backoff; clear status; no crash',
    /camera did not send a picture within 5 s of connecting|does not deliver a video stream/,
    async (ctx) => ({ url: `rtsp://127.0.0.1:${(await brokenCamera(ctx, garbageCamera)).port}/cam` }),
    5,
  ),
  brokenCameraFault(
    'camera-wrong-password',
    'Wrong camera password (set in the editor)',
    'status and log say the password was refused; retries with backoff, logged once; the password is shown nowhere',
    /camera refused the user name or password/,
    async (ctx) => {
      const server = await RtspTestServer.start({ user: 'viewer', password: 'the-right-one' });
      ctx.defer(() => server.stop());
      return { url: server.url, credentials: { user: 'viewer', password: PASSWORD } };
    },
  ),
  brokenCameraFault(
    'camera-unknown-host',
    'Camera host name that does not resolve',
    'status and log say the host name was not found; retries with backoff, logged once',
    /camera host name not found/,
    async () => ({ url: 'rtsp://till-camera.invalid:554/stream1' }),
  ),
  brokenCameraFault(
    'camera-unknown-path',
    'Wrong stream path on a real camera (with the right password)',
    'status and log say there is no stream at this address; retries, logged once; password hidden',
    /camera has no stream at this address/,
    async (ctx) => {
      const server = await RtspTestServer.start({ user: 'viewer', password: PASSWORD });
      ctx.defer(() => server.stop());
      return {
        url: `rtsp://127.0.0.1:${server.port}/no-such-stream`,
        credentials: { user: 'viewer', password: PASSWORD },
      };
    },
  ),
  brokenCameraFault(
    'camera-not-video',
    'Camera URL that is a web page, not a video',
    'status and log say the source is not a video stream; retries with backoff, logged once',
    /does not deliver a video stream/,
    async (ctx) => ({ url: `http://127.0.0.1:${(await brokenCamera(ctx, webPage)).port}/` }),
  ),
];
