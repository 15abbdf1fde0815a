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

/** The model fetched by `npm run fetch:model`. */
export function defaultModelPath(): string {
  return path.join(packageRoot(), 'models', 'yolov8n.onnx');
}
