import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { projectRoot, testTmp } from '../support/assets';
import {
  closeDialogWithDone,
  cancelDialog,
  deploy,
  DialogProblems,
  EditorBrowser,
  editorNodes,
  NodeSummary,
  openDialog,
  openEditor,
  processesWithEnv,
} from '../support/editor';
import { NodeRedProcess } from '../support/node-red-process';
import { waitFor } from '../support/processes';

const PACKAGE = 'node-red-contrib-store-analytics';
/**
 * The package's dialogs whose labels are checked not to wrap at the default width (all of them; a
 * type left out would only be reported).
 */
const LAYOUT_CHECKED = new Set([
  'rtsp-in',
  'yolo-model',
  'yolo-detect',
  'tracker',
  'heatmap',
  'heatmap-store',
  'mjpeg-out',
  'line-counter',
  'zone-monitor',
  'analytics-history',
  'store-uplink',
  'head-office',
]);
/**
 * Page errors of other packages' editor code, not of this package's nodes: node-red-dashboard's
 * ui_base fetches tinycolor by ajax and adds it as a script later, and its dashboard sidebar
 * sometimes uses it before that script has run.
 */
const FOREIGN_PAGE_ERRORS = [/^ReferenceError: tinycolor is not defined\b/];
/** Every process of one flow's run (Node-RED, its ffmpeg, Chromium) carries this in its environment. */
const MARKER = 'STORE_ANALYTICS_EDITOR_TEST';

/**
 * The flows a user gets: the default flow and every example that is a whole flow (any *.json under
 * examples/ with a tab, so new ones are covered without touching this test; the add-ons, without a
 * tab, are imported into a running flow below). EDITOR_TEST_FLOWS (paths separated by ':') replaces
 * the list, to try the test on a changed copy of a flow.
 */
function shippedFlows(): string[] {
  const override = process.env.EDITOR_TEST_FLOWS;
  if (override) {
    return override
      .split(path.delimiter)
      .filter(Boolean)
      .map((f) => path.resolve(f));
  }
  const examples = path.join(projectRoot, 'examples');
  const found = (existsSync(examples) ? (readdirSync(examples, { recursive: true }) as string[]) : [])
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(examples, f))
    .filter((f) => !isAddOn(f));
  return [path.join(projectRoot, 'flows', 'store-analytics.json'), ...found];
}
/** An example without a tab: imported into the flow that runs, not run on its own. */
function isAddOn(file: string): boolean {
  return !(JSON.parse(readFileSync(file, 'utf8')) as Array<{ type: string }>).some((n) => n.type === 'tab');
}

/** What Node-RED logs when a node's editor code throws (it catches it and goes on). */
const EDITOR_CODE_ERROR = /^(oneditprepare|oneditsave|oneditcancel|oneditresize|Validation error)/;

const describeNode = (n: NodeSummary) => `${n.type} ${n.name ? `"${n.name}"` : '(no name)'} [${n.id}]`;

for (const flowFile of shippedFlows()) {
  const shown = path.relative(projectRoot, flowFile);

  describe(`the editor with ${shown}`, function () {
    this.timeout(60000);
    const run = randomUUID();
    let red: NodeRedProcess | undefined;
    let browser: EditorBrowser | undefined;
    let nodes: NodeSummary[] = [];
    let userDir = '';
    /** Errors in the page: exceptions, and what Node-RED logs when a validator or oneditprepare throws. */
    const pageErrors: string[] = [];

    before(async () => {
      mkdirSync(testTmp, { recursive: true });
      userDir = mkdtempSync(path.join(testTmp, 'node-red-'));
      // The launcher seeds flows.json from the default flow only when there is none.
      writeFileSync(path.join(userDir, 'flows.json'), readFileSync(flowFile));
      // No admin login: the editor opens as for `npm start` on loopback.
      red = await NodeRedProcess.start(
        { ADMIN_PASSWORD: '', ADMIN_PASSWORD_HASH: '', [MARKER]: run },
        userDir,
      );
      browser = await EditorBrowser.launch({ [MARKER]: run });
      const { page } = browser;
      page.on('pageerror', (err) => {
        const error = (err.stack ?? `${err.name}: ${err.message}`).split('\n').slice(0, 3).join(' | ');
        if (!FOREIGN_PAGE_ERRORS.some((known) => known.test(error))) pageErrors.push(error);
      });
      page.on('console', (message) => {
        if (EDITOR_CODE_ERROR.test(message.text())) pageErrors.push(message.text());
      });
      await openEditor(page, `${red.url}/admin/`);
      nodes = await editorNodes(page);
    });

    after(async () => {
      // Only when a test failed before the last one stopped everything.
      await browser?.close();
      await red?.stop();
    });

    it('knows every node type and shows no node as invalid', () => {
      assert.ok(nodes.length > 0, 'the editor shows the flow');
      const unknown = nodes.filter((n) => n.type === 'unknown' || !n.module);
      assert.deepEqual(unknown.map(describeNode), [], 'node types the editor does not know');
      const invalid = nodes
        .filter((n) => n.valid === false)
        .map((n) => `${describeNode(n)}: ${n.validationErrors.join(', ') || 'invalid'}`);
      assert.deepEqual(invalid, [], `${shown}: nodes the editor marks invalid (red triangle)`);
      assert.deepEqual(pageErrors, [], 'errors in the editor page');
    });

    it(`holds every setting of the ${PACKAGE} nodes, as the editor saves them`, () => {
      const incomplete = nodes
        .filter((n) => n.module === PACKAGE && n.missing.length > 0)
        .map((n) => `${describeNode(n)} lacks ${n.missing.join(', ')}`);
      assert.deepEqual(
        incomplete,
        [],
        `${shown}: settings missing from the flow file (open the node, click Done, export the flow again)`,
      );
    });

    it('opens the dialog of each of our nodes with no invalid field, blank default or wrapped label', async () => {
      const page = browser!.page;
      const ours = nodes.filter((n) => n.module === PACKAGE);
      assert.ok(ours.length > 0, `${shown} has no ${PACKAGE} node`);
      const problems: string[] = [];
      const notes: string[] = [];
      for (const node of ours) {
        const found: DialogProblems = await openDialog(page, node);
        await cancelDialog(page, node);
        const wrapped = [...found.wrappedLabels, ...found.wrappedRows.map((r) => `${r} (row)`)];
        const report = (what: string, list: string[]) =>
          list.length && problems.push(`${describeNode(node)}: ${what}: ${list.join('; ')}`);
        report('fields the browser marks invalid', found.htmlInvalid);
        report('fields Node-RED marks invalid', found.inputErrors);
        report('number fields left blank', found.emptyNumbers);
        if (LAYOUT_CHECKED.has(node.type)) report('labels that wrap', wrapped);
        else if (wrapped.length) notes.push(`${node.type}: ${wrapped.join(', ')}`);
      }
      if (notes.length)
        console.log(`      note: labels that wrap, not yet checked: ${[...new Set(notes)].join('; ')}`);
      assert.deepEqual(problems, [], `${shown}: problems in the edit dialogs`);
      assert.deepEqual(pageErrors, [], 'errors in the editor page');
    });
    it('opens and closes each of our dialogs again and again, quickly, with no error after they closed', async () => {
      // A dialog's own timers, picture loads or resize handlers that outlive it would throw here.
      const page = browser!.page;
      const ours = nodes.filter((n) => n.module === PACKAGE);
      for (let round = 0; round < 2; round++) {
        // The editor forgets the credentials it fetched: a dialog of a node with credentials (rtsp-in)
        // is built only once they came back from the runtime, the path where closing too early broke.
        await page.evaluate(() =>
          (
            window as unknown as {
              RED: { nodes: { eachNode(cb: (n: { credentials?: unknown }) => void): void } };
            }
          ).RED.nodes.eachNode((n) => delete n.credentials),
        );
        for (const node of ours) {
          await openDialog(page, node);
          if (round === 0) await cancelDialog(page, node);
          else await closeDialogWithDone(page, node);
        }
      }
      // The last dialog's late work too.
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(pageErrors, [], 'errors in the editor page');
    });

    it('deploys without a "not properly configured" warning', async () => {
      const outcome = await deploy(browser!.page);
      assert.ok(
        outcome.deployed,
        `${shown}: Deploy did not succeed:\n${outcome.deployed ? '' : outcome.message}`,
      );
    });

    it('stops Node-RED and Chromium and leaves no process behind', async () => {
      assert.ok(processesWithEnv(MARKER, run).length > 0, 'the run’s processes are found by their marker');
      await browser!.close();
      browser = undefined;
      assert.equal(await red!.stop(), 0, 'Node-RED exits cleanly on SIGTERM');
      red = undefined;
      await waitFor(
        () => processesWithEnv(MARKER, run).length === 0,
        10000,
        'every process of the run to exit',
      ).catch(() => assert.fail(`left behind:\n${processesWithEnv(MARKER, run).join('\n')}`));
      rmSync(userDir, { recursive: true, force: true });
    });
  });
}
