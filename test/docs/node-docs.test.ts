import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// docs/nodes.md is made from each node's editor help (scripts/node-docs.mjs, `npm run docs`): the help
// is the one source. Editing the page alone, or the help without running the script, fails here.

const root = path.resolve(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(path.join(root, rel), 'utf8');
const nodeTypes = Object.keys(JSON.parse(read('package.json'))['node-red'].nodes as Record<string, string>);

/** The help block of a node's locale file, or undefined. */
function help(type: string): string | undefined {
  const html = read(`nodes/${type}/locales/en-US/${type}.html`);
  const m = new RegExp(`<script type="text/html" data-help-name="${type}">([\\s\\S]*?)</script>`).exec(html);
  return m?.[1];
}

/** A number property of the node's registerType call in its editor file, such as `outputs: 3`. */
function registered(type: string, key: string): number {
  const m = new RegExp(`\\b${key}: (\\d+)`).exec(read(`nodes/${type}/${type}.html`));
  return m ? Number(m[1]) : 0;
}

describe('node reference (docs/nodes.md from the editor help)', function () {
  this.timeout(30000);

  it('docs/nodes.md is what scripts/node-docs.mjs makes from the help (run `npm run docs`)', () => {
    const made = execFileSync(process.execPath, [path.join(root, 'scripts', 'node-docs.mjs'), '--print'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(read('docs/nodes.md'), made);
  });

  it("every node in package.json's node-red.nodes has help in Node-RED's sections", () => {
    assert.equal(nodeTypes.length, 12);
    for (const type of nodeTypes) {
      const text = help(type);
      assert.ok(text && text.trim(), `${type}: no help block in its en-US locale`);
      assert.match(text, /^\s*<p>/, `${type}: the help opens with a summary paragraph`);
      assert.match(text, /<h3>Details<\/h3>/, `${type}: no Details`);
      assert.match(text, /<h3>References<\/h3>/, `${type}: no References`);
      if (registered(type, 'inputs') > 0) {
        assert.match(text, /<h3>Inputs<\/h3>\s*(<p>[\s\S]*?<\/p>\s*)?<dl class="message-properties">/, type);
      }
      const outputs = registered(type, 'outputs');
      if (outputs > 0) assert.match(text, /<h3>Outputs<\/h3>/, `${type}: no Outputs`);
      if (outputs > 1) {
        const ports = /<h3>Outputs<\/h3>[\s\S]*?<ol class="node-ports">([\s\S]*?)<\/ol>/.exec(text);
        assert.ok(ports, `${type}: ${outputs} outputs but no ol.node-ports`);
        assert.equal(ports[1].match(/<li>/g)?.length, outputs, `${type}: one li per output`);
      }
    }
  });

  it('docs/nodes.md has a section for every node, and the README links to each', () => {
    const page = read('docs/nodes.md');
    const readme = read('README.md');
    for (const type of nodeTypes) {
      assert.match(page, new RegExp(`^## ${type}$`, 'm'), type);
      assert.ok(readme.includes(`(docs/nodes.md#${type})`), `README: no link to docs/nodes.md#${type}`);
    }
  });
});
