import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { FUNCTIONS_DIR, functionCode, PAGES_DIR, pageText } from '../../../flows/builder/assets';
import { FlowNode, shippedFlows } from '../../../flows/store-analytics-flow';

const allNodes = (): FlowNode[] => Object.values(shippedFlows()).flat();

describe('the function and page files of the shipped flows', () => {
  it('are each a function body of the shipped flows, and every function node is one of them', () => {
    const files = readdirSync(FUNCTIONS_DIR).filter((f) => f.endsWith('.js'));
    const bodies = new Map(files.map((f) => [functionCode(f.slice(0, -3)).trim() + '\n', f]));
    const used = new Set<string>();
    for (const n of allNodes().filter((n) => n.type === 'function')) {
      const file = bodies.get(n.func as string);
      assert.ok(file, `function node ${n.id} has its body in flows/functions/`);
      used.add(file!);
    }
    assert.deepEqual(
      files.filter((f) => !used.has(f)),
      [],
      'no file is left unused',
    );
  });

  it('are each a page or dashboard template of the shipped flows', () => {
    const texts = allNodes().map((n) => String(n.template ?? n.format ?? ''));
    for (const file of readdirSync(PAGES_DIR).filter((f) => f.endsWith('.html'))) {
      const page = pageText(file.slice(0, -5)).trim();
      assert.ok(
        texts.some((t) => t.trim() === page),
        `flows/pages/${file} is in a flow`,
      );
    }
  });

  it('compile: every body is a function of msg, node, flow, env and context', () => {
    for (const file of readdirSync(FUNCTIONS_DIR).filter((f) => f.endsWith('.js'))) {
      assert.doesNotThrow(
        () => new Function('msg', 'node', 'flow', 'env', 'context', functionCode(file.slice(0, -3))),
        file,
      );
    }
  });
});
