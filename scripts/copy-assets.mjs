#!/usr/bin/env node
// Mirrors the editor files (.html), locales and icons of every node next to its compiled .js in
// dist/, where Node-RED looks for them.
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from './cache.mjs';

const source = path.join(projectRoot, 'nodes');
const target = path.join(projectRoot, 'dist', 'nodes');
const isAsset = (rel) =>
  rel.endsWith('.html') || rel.split(path.sep).some((p) => p === 'locales' || p === 'icons');

for (const rel of await readdir(source, { recursive: true })) {
  if (isAsset(rel) && path.extname(rel) !== '') {
    await cp(path.join(source, rel), path.join(target, rel), { recursive: true });
  }
}
