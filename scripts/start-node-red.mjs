#!/usr/bin/env node
// Starts Node-RED with this package's nodes and the default flow (npm start).
//  - userDir: .node-red/ in the project (NODE_RED_USER_DIR overrides); this package is linked into
//    its node_modules so Node-RED loads the nodes and lists the examples;
//  - the flow file is seeded on first start: flows/store-analytics.json (one camera, CAMERA_URL), or
//    with CAMERA_URLS="[id=]url [id=]url ..." one rtsp-in node per camera, built by the same source as
//    the shipped flows (flows/store-analytics-flow.ts). Your edits are kept after that; delete
//    .node-red/flows.json to get a new one;
//  - CAMERA_URL defaults to the demo clip, so the flow shows people without a camera;
//  - it stays as Node-RED's supervisor: Node-RED runs as a child in a process group of its own and
//    is started again after a crash (a native abort cannot be caught inside it), with backoff; what
//    a dead run left running (its ffmpeg) is killed first. SIGINT/SIGTERM/SIGHUP stop Node-RED and
//    the supervisor, with no restart.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { demoClipPath, projectRoot } from './cache.mjs';

const require = createRequire(import.meta.url);
const userDir = path.resolve(process.env.NODE_RED_USER_DIR || path.join(projectRoot, '.node-red'));
const exists = (p) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function prepareUserDir() {
  const modules = path.join(userDir, 'node_modules');
  await mkdir(modules, { recursive: true });
  const link = path.join(modules, 'node-red-contrib-store-analytics');
  await rm(link, { recursive: true, force: true });
  await symlink(projectRoot, link, 'dir');
  const flowFile = path.join(userDir, 'flows.json');
  const cameras = camerasFromList(process.env.CAMERA_URLS);
  if (!(await exists(flowFile))) {
    if (cameras.length > 0) {
      const { storeAnalyticsFlow, cameraUrlVariable } = require('../dist/flows/store-analytics-flow.js');
      // The flow names each URL by an environment variable: a password in a URL stays out of flows.json.
      const flow = storeAnalyticsFlow(
        cameras.map((c, i) => ({ id: c.id, url: `\${${cameraUrlVariable(i + 1)}}` })),
      );
      await writeFile(flowFile, JSON.stringify(flow, null, 2));
      console.log(
        `Seeded ${flowFile} with ${cameras.length} camera(s): ${cameras.map((c) => c.id).join(', ')}`,
      );
    } else {
      await copyFile(path.join(projectRoot, 'flows', 'store-analytics.json'), flowFile);
      console.log(`Seeded ${flowFile} from flows/store-analytics.json`);
    }
  } else if (cameras.length > 0) {
    const flow = JSON.parse(await readFile(flowFile, 'utf8'));
    const inFlow = flow.filter((n) => n.type === 'rtsp-in').length;
    if (inFlow !== cameras.length) {
      console.warn(
        `CAMERA_URLS lists ${cameras.length} camera(s), ${flowFile} has ${inFlow}: the flow is kept as you left it. ` +
          'Add cameras in the editor, or delete the file to have it built again from CAMERA_URLS.',
      );
    }
  }
  return cameras;
}

/**
 * CAMERA_URLS: camera URLs separated by spaces, commas or new lines, each optionally named
 * "id=url" (door=rtsp://...); unnamed ones are camera-1, camera-2, ...
 */
function camerasFromList(list) {
  const entries = (list || '').split(/[\s,]+/).filter(Boolean);
  const { cameraIdProblem } = require('../dist/nodes/lib/control/command.js');
  return entries.map((entry, i) => {
    const named = /^([A-Za-z0-9_-]+)=(.+)$/.exec(entry);
    const camera = named ? { id: named[1], url: named[2] } : { id: `camera-${i + 1}`, url: entry };
    const problem = cameraIdProblem(camera.id);
    if (problem) throw new Error(`CAMERA_URLS: ${problem}`);
    return camera;
  });
}

/**
 * The logins reach Node-RED as bcrypt hashes (<NAME>_HASH) only: a plain password would sit in the
 * environment of Node-RED and of every ffmpeg it starts, readable in /proc, for as long as they run.
 */
function hashPasswords(env) {
  const bcrypt = require('bcryptjs');
  for (const name of ['ADMIN_PASSWORD', 'STORE_PASSWORD']) {
    if (env[name] && !env[`${name}_HASH`]) env[`${name}_HASH`] = bcrypt.hashSync(env[name], 10);
    delete env[name];
  }
}

/** Node-RED's environment: the cameras' URLs, the malloc settings, the demo clip as default camera. */
async function runtimeEnvironment(cameras) {
  const env = { ...process.env, NODE_RED_USER_DIR: userDir };
  const { cameraUrlVariable } = require('../dist/flows/store-analytics-flow.js');
  cameras.forEach((camera, i) => {
    env[cameraUrlVariable(i + 1)] = camera.url;
  });
  // glibc gives threads that allocate their own malloc arena (up to 8 per core). With ONNX Runtime's,
  // libvips' and the detector's threads, RSS wandered between 440 and 510 MB and crept up over a
  // 30-minute soak; with 2 arenas it stayed within a few MB (npm run bench -- --soak 30m, both ways).
  // glibc also raises its mmap threshold after the first large buffer is freed, so the frame-sized
  // buffers (1-5 MB: decoded frames, heat layers, input tensors) then come from the arenas, which they
  // leave fragmented: those grew ~0.2 MB a minute. A fixed 128 KiB threshold maps and unmaps them: the
  // arenas stayed flat and RSS was ~45 MB lower, at no CPU cost the bench could see (see README).
  // Both in malloc-settings.json (the bench reads them too); values set by the user win.
  const mallocSettings = JSON.parse(
    await readFile(new URL('./malloc-settings.json', import.meta.url), 'utf8'),
  );
  for (const [name, value] of Object.entries(mallocSettings)) env[name] ??= value;
  hashPasswords(env);
  if (!env.CAMERA_URL) {
    if (!(await exists(demoClipPath))) {
      console.error(`No CAMERA_URL set and the demo clip is missing: run 'npm run fetch:footage' first.`);
      process.exit(1);
    }
    env.CAMERA_URL = demoClipPath;
    console.log(`CAMERA_URL is not set: playing the demo clip ${demoClipPath}`);
  }
  return env;
}

/** Node-RED gives its nodes 15 s to close; past this the supervisor kills the whole run. */
const STOP_DEADLINE_MS = 20000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A log line in Node-RED's own format ("3 Dec 14:20:00 - [supervisor] ..."), so the two read as one log. */
function log(text, stream = process.stdout) {
  const d = new Date();
  const time = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0'));
  stream.write(`${d.getDate()} ${MONTHS[d.getMonth()]} ${time.join(':')} - [supervisor] ${text}\n`);
}

/**
 * One run of Node-RED. It leads a process group of its own (detached), so that whatever it started
 * (ffmpeg is spawned in its group) can be found and killed once it is gone, also after a SIGKILL or
 * an abort that gave it no chance to stop them. Its stderr passes through a small tail, for the
 * report of why it stopped; stdout goes straight to ours.
 */
function startNodeRed(env) {
  const { OutputTail } = require('../dist/nodes/lib/os/runtime-supervision.js');
  const tail = new OutputTail();
  const child = spawn(
    process.execPath,
    [
      require.resolve('node-red/red.js'),
      '--settings',
      path.join(projectRoot, 'node-red', 'settings.js'),
      '--userDir',
      userDir,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'], env, detached: true },
  );
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    tail.push(chunk.toString());
  });
  const ended = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      // Its last words on stderr may still be in the pipe when the exit is known: wait for the end of
      // the stream, a moment at most (a child of its own could hold the pipe open).
      const timer = setTimeout(done, 1000);
      if (child.stderr.closed) done();
      else child.stderr.once('close', done);
      function done() {
        clearTimeout(timer);
        resolve({ code, signal });
      }
    });
    child.once('error', (err) => {
      tail.push(`${err.message}\n`);
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });
  return { child, tail, startedAt: Date.now(), ended };
}

/** Kills what a finished run left in its process group (ffmpeg); returns what it found. */
function killLeftovers(run) {
  const group = run.child.pid;
  if (!group) return [];
  const { processesInGroup } = require('../dist/nodes/lib/os/runtime-supervision.js');
  const left = processesInGroup(group);
  if (left === null || left.length > 0) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // ESRCH: nobody left in the group
    }
  }
  return left ?? [];
}

/**
 * Runs Node-RED until a signal asks the supervisor to stop, starting it again whenever it dies
 * without being asked (RestartPolicy: 1 s doubling to 30 s, back to 1 s after a stable minute).
 * Resolves with the exit code for the supervisor.
 */
async function supervise(env) {
  const {
    RestartPolicy,
    crashReport,
    leftoversKilled,
  } = require('../dist/nodes/lib/os/runtime-supervision.js');
  const policy = new RestartPolicy();
  let stopSignal = null;
  let run = null;
  let deadline = null;
  let wake = () => {};
  const stop = (signal) => {
    if (!stopSignal) log(`${signal}: stopping Node-RED`);
    stopSignal ??= signal;
    if (run && !deadline) {
      // Node-RED in its own group does not get the terminal's Ctrl-C: it is passed on. SIGHUP (the
      // terminal closed) becomes SIGTERM, the same stop. Only Node-RED is told: it stops its ffmpeg.
      run.child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
      const stopping = run;
      deadline = setTimeout(() => {
        log(`Node-RED did not stop within ${STOP_DEADLINE_MS / 1000} s: killing it (SIGKILL)`);
        try {
          process.kill(-stopping.child.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }, STOP_DEADLINE_MS);
    }
    wake();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));

  for (let runs = 1; ; runs++) {
    if (runs > 1) log(`starting Node-RED again (run ${runs})`);
    run = startNodeRed(env);
    const { code, signal } = await run.ended;
    const ranMs = Date.now() - run.startedAt;
    const left = killLeftovers(run);
    const tail = run.tail.lines();
    run = null;
    if (stopSignal) {
      clearTimeout(deadline);
      // Node-RED stops its ffmpeg itself: anything still running after a stop it was asked for is a leak.
      if (left.length > 0) log(leftoversKilled(left), process.stderr);
      return code ?? 1;
    }
    const next = policy.afterRun({ code, signal, ranMs });
    for (const line of crashReport({ code, signal, ranMs }, tail, left, next)) log(line, process.stderr);
    if (!next.restart) return next.exitCode;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, next.delayMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = () => {};
    if (stopSignal) return 0;
  }
}

async function main() {
  const cameras = await prepareUserDir();
  const env = await runtimeEnvironment(cameras);
  const port = env.PORT || '1880';
  const host = env.HOST || '127.0.0.1';
  console.log(`Store page: http://${host}:${port}/   Editor: http://${host}:${port}/admin/`);
  process.exit(await supervise(env));
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
