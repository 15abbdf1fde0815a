import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The pictures of docs/architecture.md are made by scripts/architecture-diagram.mjs (`npm run docs`): the
// data flow from its description, the nodes/lib import matrix from the source. A picture edited by hand,
// or a new import between nodes/lib subjects without `npm run docs`, fails here.

const root = path.resolve(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(path.join(root, rel), 'utf8');

describe('architecture pictures (docs/images/*.svg from scripts/architecture-diagram.mjs)', function () {
  this.timeout(30000);

  const made = (): Record<string, string> =>
    JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'scripts', 'architecture-diagram.mjs'), '--print'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as Record<string, string>;

  it('each SVG is what the script makes (run `npm run docs`)', () => {
    const pictures = made();
    assert.deepEqual(Object.keys(pictures).sort(), ['architecture.svg', 'lib-imports.svg']);
    for (const [name, svg] of Object.entries(pictures)) {
      assert.equal(read(`docs/images/${name}`), svg, `docs/images/${name} is not what the script makes`);
      assert.ok(
        read('docs/architecture.md').includes(`(images/${name})`),
        `docs/architecture.md shows ${name}`,
      );
    }
  });

  it("the data flow shows every node of package.json's node-red.nodes", () => {
    const svg = made()['architecture.svg'];
    for (const type of Object.keys(JSON.parse(read('package.json'))['node-red'].nodes)) {
      assert.match(svg, new RegExp(`class="title"[^>]*>${type}</text>`), type);
    }
  });
});
