import { existsSync } from 'node:fs';
import path from 'node:path';

/** This package's root folder (where package.json is), from dist/ or from the TypeScript sources. */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * The model fetched when the package is installed (scripts/postinstall.mjs) or by `npm run fetch:model`:
 * the head cut of yolov8n written beside the export, which runs at each camera's own input size.
 */
export function defaultModelPath(): string {
  return path.join(packageRoot(), 'models', 'yolov8n-cut.onnx');
}

/** The Ultralytics export as fetched (the full model, fixed at 640x640): the benchmark's reference. */
export function fullExportPath(): string {
  return path.join(packageRoot(), 'models', 'yolov8n.onnx');
}

/**
 * The shell command that fetches the default model into this package, wherever it is installed (a
 * Node-RED user directory has no `npm run fetch:model`).
 */
export function fetchModelCommand(): string {
  const script = path.join(packageRoot(), 'models', 'fetch-model.mjs');
  return `node ${/^[\w@%+=:,./-]+$/.test(script) ? script : `'${script.replace(/'/g, `'\\''`)}'`}`;
}
