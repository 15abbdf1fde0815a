import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../support/assets';

/** Files under `dir` (relative to it, with / separators) whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  const root = path.join(projectRoot, dir);
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith(suffix))
    .sort();
}

const nodeNames = () =>
  Object.keys(
    (
      JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
        'node-red': { nodes: object };
      }
    )['node-red'].nodes,
  );

/**
 * The tests mirror the sources: a unit test sits at the path of the module it tests, under test/
 * instead of nodes/ (or beside the helpers in support/), and each node has one spec named after it.
 * Tests of several nodes in one flow live in test/nodes/flows/.
 */
describe('test layout', () => {
  const mirrors: Array<[string, string]> = [
    ['test/lib', 'nodes/lib'],
    ['test/shared', 'nodes/shared'],
    ['test/support', 'support'],
  ];
  for (const [tests, sources] of mirrors) {
    it(`every ${tests}/**/X.test.ts tests a ${sources}/**/X.ts`, () => {
      const orphans = filesUnder(tests, '.test.ts').filter(
        (t) => !existsSync(path.join(projectRoot, sources, t.replace(/\.test\.ts$/, '.ts'))),
      );
      assert.deepEqual(orphans, [], `tests named after no module of ${sources}/`);
    });
  }

  it('every node of package.json has test/nodes/<node>.test.ts, and every spec there is a node', () => {
    const nodes = nodeNames();
    const specs = filesUnder('test/nodes', '.test.ts')
      .filter((f) => !f.includes('/'))
      .map((f) => f.replace(/\.test\.ts$/, ''));
    assert.deepEqual(
      nodes.filter((n) => !specs.includes(n)),
      [],
      'nodes without a spec',
    );
    assert.deepEqual(
      specs.filter((s) => !nodes.includes(s)),
      [],
      'specs named after no node (a flow of several nodes goes to test/nodes/flows/)',
    );
  });

  it('lists the nodes/lib modules without a test file of their own (not a failure)', () => {
    const untested = filesUnder('nodes/lib', '.ts').filter(
      (m) => !existsSync(path.join(projectRoot, 'test/lib', m.replace(/\.ts$/, '.test.ts'))),
    );
    if (untested.length > 0) console.log(`      without a test file: ${untested.join(', ')}`);
  });
});
