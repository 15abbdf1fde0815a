#!/usr/bin/env node
// Fetches the real pedestrian clip vtest.avi (people walking across a plaza, 768x576, 10 fps)
// from Debian's opencv-doc package without installing the package, and caches it.
import { execFile, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { demoClipPath, provideAsset } from './cache.mjs';

const run = promisify(execFile);

const CLIP = {
  name: 'vtest.avi',
  debianPackage: 'opencv-doc',
  pathInPackage: './usr/share/doc/opencv-doc/examples/data/vtest.avi',
  sha256: '45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf',
};

/** dpkg-deb --fsys-tarfile <deb> | tar -x <member>, without a shell. */
function extractFromDeb(deb, member, dir) {
  return new Promise((resolve, reject) => {
    const dpkg = spawn('dpkg-deb', ['--fsys-tarfile', deb], { stdio: ['ignore', 'pipe', 'inherit'] });
    const tar = spawn('tar', ['-x', '-C', dir, member], { stdio: ['pipe', 'ignore', 'inherit'] });
    dpkg.stdout.pipe(tar.stdin);
    dpkg.on('error', reject);
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited with ${code}`))));
  });
}

async function downloadFromDebian(work) {
  try {
    await run('apt-get', ['download', CLIP.debianPackage], { cwd: work });
  } catch (err) {
    throw new Error(
      `apt-get download ${CLIP.debianPackage} failed (run 'apt-get update' first?): ${err.stderr || err.message}`,
    );
  }
  const deb = (await readdir(work)).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${CLIP.debianPackage} produced no .deb`);
  await extractFromDeb(path.join(work, deb), CLIP.pathInPackage, work);
  return path.join(work, CLIP.pathInPackage);
}

provideAsset({
  name: CLIP.name,
  target: demoClipPath,
  sha256: CLIP.sha256,
  download: downloadFromDebian,
}).catch((err) => {
  console.error(`Could not fetch the footage: ${err.message}`);
  process.exit(1);
});
