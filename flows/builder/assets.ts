/**
 * The texts the shipped flows carry, kept as files so that they are linted and tested as what they
 * are: function-node bodies in flows/functions/<name>.js (as Node-RED runs them: a top-level
 * `return msg;`; eslint.config.mjs lints them with the function node's globals) and pages and
 * dashboard templates in flows/pages/<name>.html. Read from the package's flows/ folder, from the
 * TypeScript sources and from dist/flows alike (the flow builder runs in this repository only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../nodes/shared/package-root';

export const FUNCTIONS_DIR = path.join(packageRoot(__dirname), 'flows', 'functions');
export const PAGES_DIR = path.join(packageRoot(__dirname), 'flows', 'pages');

/** The body of function node `name` (flows/functions/<name>.js), as written. */
export function functionCode(name: string): string {
  return readFileSync(path.join(FUNCTIONS_DIR, `${name}.js`), 'utf8');
}

/** Page or dashboard template `name` (flows/pages/<name>.html), as written. */
export function pageText(name: string): string {
  return readFileSync(path.join(PAGES_DIR, `${name}.html`), 'utf8');
}
