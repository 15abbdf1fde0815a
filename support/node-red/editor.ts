import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { testTmp } from '../assets';
import type { NodeRedProcess } from './node-red-process';
import { waitFor } from '../processes';

export const CHROMIUM = '/usr/bin/chromium';

/** Playwright adds --headless itself (headless: true); these are the rest of the suite's flags. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Pids and command lines of running processes whose command line contains `marker`. */
export function processesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args=', '-ww'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[2].startsWith('Z') && m[3].includes(marker))
    .filter((m) => Number(m[1]) !== process.pid && !m[3].startsWith('ps -eo'))
    .map((m) => `${m[1]} ${m[3]}`);
}

/**
 * Living processes whose environment holds `name=value`: everything started with that variable
 * and whatever those started in turn (ffmpeg under Node-RED, Chromium's renderers and its crash
 * handler, which leaves the process tree), zombies aside.
 */
export function processesWithEnv(name: string, value: string): string[] {
  const wanted = `${name}=${value}`;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/s.test(stat)) continue;
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(wanted)) continue;
      found.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

/** Headless Chromium with a fresh user-data-dir of its own, which also marks its processes. */
export class EditorBrowser {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly userDataDir: string,
  ) {}

  /** `env` is added to Chromium's environment (a marker to find its processes by). */
  static async launch(env: Record<string, string> = {}): Promise<EditorBrowser> {
    assert.ok(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: apt-get install chromium (the README's install does)`,
    );
    mkdirSync(testTmp, { recursive: true });
    const userDataDir = mkdtempSync(path.join(testTmp, 'chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, ...env } as Record<string, string>,
      viewport: { width: 1280, height: 800 },
    });
    // tsx compiles with esbuild's keepNames, which wraps named functions in __name(): functions
    // handed to page.evaluate carry those calls into the page, where the helper must exist too.
    await context.addInitScript('globalThis.__name = (fn) => fn;');
    const page = context.pages()[0] ?? (await context.newPage());
    return new EditorBrowser(context, page, userDataDir);
  }

  /** Closes Chromium, waits until none of its processes is left and removes its profile. */
  async close(): Promise<void> {
    await this.context.close();
    await waitFor(
      () => processesWith(this.userDataDir).length === 0,
      10000,
      `Chromium's processes (${this.userDataDir}) to exit`,
    );
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

// ---- What the tests use of the editor's RED API (in the page). ----

interface EditorNode {
  id: string;
  type: string;
  name?: string;
  z?: string;
  valid?: boolean;
  validationErrors?: string[];
  _def: { defaults: Record<string, unknown>; category?: string; set?: { module: string } };
  [key: string]: unknown;
}

interface EditorRed {
  nodes: {
    version(): string | undefined;
    eachNode(cb: (n: EditorNode) => void): void;
    eachConfig(cb: (n: EditorNode) => void): void;
    node(id: string): EditorNode | null;
    filterNodes(filter: { z: string }): EditorNode[];
    dirty(dirty?: boolean): boolean;
  };
  workspaces: { active(): string | 0 };
  editor: {
    validateNode(n: EditorNode): boolean;
    edit(n: EditorNode): void;
    editConfig(name: string, type: string, id: string): void;
  };
}

/** Opens the editor at `adminUrl` and waits until the flows are loaded and drawn. */
export async function openEditor(page: Page, adminUrl: string): Promise<void> {
  await page.goto(adminUrl);
  await page.waitForFunction(
    () => {
      const RED = (window as unknown as { RED?: EditorRed }).RED;
      const loading = document.getElementById('red-ui-loading-progress');
      const active = RED?.workspaces.active();
      return Boolean(
        RED?.nodes?.version?.() &&
        active &&
        (!loading || loading.style.display === 'none') &&
        // Drawn: its nodes are on the canvas (an empty Node-RED has none to draw).
        (document.querySelector('#red-ui-workspace-chart .red-ui-flow-node') ||
          RED.nodes.filterNodes({ z: active }).length === 0),
      );
    },
    undefined,
    { timeout: 30000 },
  );
}

export interface NodeSummary {
  id: string;
  type: string;
  name: string;
  config: boolean;
  module: string;
  valid: boolean | undefined;
  validationErrors: string[];
  /** Editor defaults the node does not have (as saved in the flow file). */
  missing: string[];
}

/** Every node and config node as the editor sees it, validated as Deploy validates them. */
export function editorNodes(page: Page): Promise<NodeSummary[]> {
  return page.evaluate(() => {
    const RED = (window as unknown as { RED: EditorRed }).RED;
    const out: NodeSummary[] = [];
    const add = (n: EditorNode, config: boolean) => {
      if (n.valid === undefined) RED.editor.validateNode(n);
      out.push({
        id: n.id,
        type: n.type,
        name: typeof n.name === 'string' ? n.name : '',
        config,
        module: n._def?.set?.module ?? '',
        valid: n.valid,
        validationErrors: n.validationErrors ?? [],
        missing: Object.keys(n._def?.defaults ?? {}).filter((key) => n[key] === undefined),
      });
    };
    RED.nodes.eachConfig((n) => add(n, true));
    RED.nodes.eachNode((n) => add(n, false));
    return out;
  });
}

export interface DialogProblems {
  /** Inputs in the tray the browser's constraint validation rejects (min, max, step...). */
  htmlInvalid: string[];
  /** Inputs Node-RED marks with input-error (the node's validators). */
  inputErrors: string[];
  /** Labels whose text wraps onto a second line at the dialog's default width. */
  wrappedLabels: string[];
  /** Rows whose input does not fit beside its label and drops below it. */
  wrappedRows: string[];
  /** Number inputs left empty (a setting the flow lacks shows its default, never a blank). */
  emptyNumbers: string[];
}

/**
 * Opens the node's edit dialog as a double-click does, waits until it is built, and returns what
 * is wrong in it. Leaves the dialog open (see cancelDialog).
 */
export async function openDialog(page: Page, node: NodeSummary): Promise<DialogProblems> {
  const prefix = node.config ? 'node-config-input' : 'node-input';
  await page.evaluate(
    ({ id, type, config }) => {
      const RED = (window as unknown as { RED: EditorRed }).RED;
      if (config) RED.editor.editConfig('', type, id);
      else RED.editor.edit(RED.nodes.node(id)!);
    },
    { id: node.id, type: node.type, config: node.config },
  );
  await page.locator(cancelButton(node)).waitFor({ state: 'visible', timeout: 10000 });
  await untilDialogOpen(page, prefix);
  return page.evaluate(
    ({ prefix }) => {
      const trays = document.querySelectorAll('.red-ui-tray');
      const tray = trays[trays.length - 1] as HTMLElement;
      const describe = (el: Element) => {
        const input = el as HTMLInputElement;
        return `#${input.id || input.tagName.toLowerCase()} = ${JSON.stringify(input.value)}`;
      };
      const fields = Array.from(tray.querySelectorAll<HTMLInputElement>(`[id^="${prefix}-"]`));
      // Every input of the tray, not only the node's own: the config node select, the description...
      const htmlInvalid = Array.from(tray.querySelectorAll<HTMLInputElement>('input, select, textarea'))
        .filter((el) => el.matches(':invalid'))
        .map((el) => `${describe(el)}: ${el.validationMessage}`);
      const inputErrors = Array.from(tray.querySelectorAll('.input-error')).map(describe);
      const wrappedLabels: string[] = [];
      const wrappedRows: string[] = [];
      for (const row of Array.from(tray.querySelectorAll<HTMLElement>('.form-row'))) {
        if (!row.offsetParent) continue;
        const label = row.querySelector<HTMLElement>(':scope > label');
        if (!label || !label.textContent?.trim()) continue;
        const text = label.textContent.trim();
        // Wrapped: taller than the same label kept on one line.
        const height = label.getBoundingClientRect().height;
        const whiteSpace = label.style.whiteSpace;
        label.style.whiteSpace = 'nowrap';
        const oneLine = label.getBoundingClientRect().height;
        label.style.whiteSpace = whiteSpace;
        if (height > oneLine + 1) wrappedLabels.push(text);
        const input = row.querySelector<HTMLElement>(':scope > input:not([type=hidden]), :scope > select');
        if (input && input.getBoundingClientRect().top >= label.getBoundingClientRect().bottom) {
          wrappedRows.push(text);
        }
      }
      const emptyNumbers = fields
        .filter((el) => el.type === 'number' && el.value === '')
        .map((el) => `#${el.id}`);
      return { htmlInvalid, inputErrors, wrappedLabels, wrappedRows, emptyNumbers };
    },
    { prefix },
  );
}

/**
 * Waits until Node-RED has built the edit dialog and slid it in. The form is built (and oneditprepare
 * has run) once the template's inputs are in the tray's content: not the footer's "node-input-node-
 * disabled" switch, which Node-RED adds first. For a node with credentials (rtsp-in, store-uplink)
 * the form waits for them from the runtime, hundreds of ms on a busy one: a dialog closed before then
 * is built afterwards, and the tray's own timers resize it after it closed (Node-RED then throws
 * "Cannot read properties of null (reading 'resize')" from the description editor). Then the tray
 * slides in: its style says right 0 once it started, and its edge stops moving when it is there.
 */
export async function untilDialogOpen(page: Page, prefix = 'node-input'): Promise<void> {
  await page
    .locator(`.red-ui-tray .red-ui-tray-content [id^="${prefix}-"]`)
    .first()
    .waitFor({ state: 'attached', timeout: 10000 });
  await page.waitForFunction(
    () => {
      const trays = document.querySelectorAll('.red-ui-tray');
      const tray = trays[trays.length - 1] as HTMLElement | undefined;
      const seen = window as unknown as { trayRight?: number };
      if (!tray || tray.style.right !== '0px') {
        seen.trayRight = undefined;
        return false;
      }
      const right = tray.getBoundingClientRect().right;
      const settled = seen.trayRight === right;
      seen.trayRight = right;
      return settled;
    },
    undefined,
    { timeout: 10000 },
  );
}

const cancelButton = (node: NodeSummary) =>
  node.config ? '#node-config-dialog-cancel' : '#node-dialog-cancel';

/** Cancels the open edit dialog and waits for the tray to close. */
export async function cancelDialog(page: Page, node: NodeSummary): Promise<void> {
  await page.locator(cancelButton(node)).click();
  await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0, undefined, {
    timeout: 10000,
  });
}

/** Closes the open edit dialog with Done (oneditsave runs) and waits for the tray to close. */
export async function closeDialogWithDone(page: Page, node: NodeSummary): Promise<void> {
  await page.locator(node.config ? '#node-config-dialog-ok' : '#node-dialog-ok').click();
  await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0, undefined, {
    timeout: 10000,
  });
}

export type DeployOutcome = { deployed: true } | { deployed: false; message: string };

/** Makes the workspace dirty (Deploy is disabled without changes), clicks Deploy and reads the answer. */
export async function deploy(page: Page): Promise<DeployOutcome> {
  await page.evaluate(() => {
    (window as unknown as { RED: EditorRed }).RED.nodes.dirty(true);
  });
  const button = page.locator('#red-ui-header-button-deploy');
  await page.waitForFunction(
    () => !document.getElementById('red-ui-header-button-deploy')!.classList.contains('disabled'),
  );
  await button.click();
  const notification = page.locator('.red-ui-notification');
  const answer = await waitFor(
    async () => {
      for (const text of await notification.allInnerTexts()) {
        if (/Successfully deployed/.test(text)) return { deployed: true as const };
        if (/not properly configured|unknown|Error|error/.test(text))
          return { deployed: false as const, message: text };
      }
      return null;
    },
    20000,
    'an answer to Deploy',
  );
  return answer;
}

export interface Notification {
  /** Node-RED's kind: warning, error, success, compact, or '' (plain). */
  kind: string;
  text: string;
}

/** From now on, keeps every notification the editor shows (they hide again by themselves). */
export async function recordNotifications(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = window as unknown as { notificationsSeen?: Array<{ kind: string; text: string }> };
    if (seen.notificationsSeen) return;
    const list: Array<{ kind: string; text: string }> = [];
    seen.notificationsSeen = list;
    // A notification with an id (Node-RED's import, say) is updated in place when shown again.
    const last = new WeakMap<HTMLElement, string>();
    const note = (el: HTMLElement) => {
      const kind = /red-ui-notification-(\w+)/.exec(el.className)?.[1] ?? '';
      const text = (el.innerText || el.textContent || '').trim();
      if (last.get(el) === `${kind} ${text}`) return;
      last.set(el, `${kind} ${text}`);
      list.push({ kind, text });
    };
    new MutationObserver((changes) => {
      for (const change of changes) {
        const target = change.target instanceof HTMLElement ? change.target : change.target.parentElement;
        const around = target?.closest<HTMLElement>('.red-ui-notification');
        if (around) note(around);
        for (const added of Array.from(change.addedNodes)) {
          if (added instanceof HTMLElement && added.classList.contains('red-ui-notification')) note(added);
        }
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

/** The notifications shown since recordNotifications. */
export function notifications(page: Page): Promise<Notification[]> {
  return page.evaluate(
    () => (window as unknown as { notificationsSeen?: Notification[] }).notificationsSeen ?? [],
  );
}

interface ViewRed {
  nodes: {
    eachNode(cb: (n: { z?: string; x: number; y: number; h?: number }) => void): void;
    eachGroup(cb: (g: { z?: string; x: number; y: number; h: number }) => void): void;
  };
  workspaces: { active(): string | 0 };
  view: { state(): number; selection(): { nodes?: Array<{ id: string }> } };
  state: { IMPORT_DRAGGING: number; DEFAULT: number };
}

/**
 * Menu > Import > Examples > `module` > `name` > Import, as a user does it, onto the open flow. A
 * flow without a tab then follows the mouse: it is put down below everything the open flow holds.
 * Fails on Node-RED's "nodes already exist" dialog. Returns the ids of what was imported.
 */
export async function importExample(page: Page, module: string, name: string): Promise<string[]> {
  // Scroll the canvas below what the flow holds, so the example goes down on free space.
  await page.evaluate(() => {
    const RED = (window as unknown as { RED: ViewRed }).RED;
    const here = RED.workspaces.active();
    let bottom = 0;
    RED.nodes.eachNode((n) => {
      if (n.z === here) bottom = Math.max(bottom, n.y + (n.h ?? 30));
    });
    RED.nodes.eachGroup((g) => {
      if (g.z === here) bottom = Math.max(bottom, g.y + g.h);
    });
    const chart = document.getElementById('red-ui-workspace-chart')!;
    chart.scrollLeft = 0;
    chart.scrollTop = bottom + 40;
  });
  const count = () =>
    page.evaluate(() => {
      let n = 0;
      (window as unknown as { RED: ViewRed }).RED.nodes.eachNode(() => n++);
      return n;
    });
  const before = await count();
  await page.locator('#red-ui-header-button-sidemenu').click();
  await page.locator('#menu-item-import').click();
  await page.locator('.red-ui-clipboard-dialog-tabs a', { hasText: 'Examples' }).click();
  const tree = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
  const folder = tree.locator('.red-ui-treeList-label', { hasText: module });
  await folder.waitFor({ state: 'visible', timeout: 10000 });
  const example = tree.locator('.red-ui-treeList-label', { hasText: name });
  // The module's folder, unless the dialog kept it open from the last import.
  if (!(await example.isVisible())) await folder.click();
  await example.click();
  await page.locator('#red-ui-clipboard-dialog-ok').click();
  // Node-RED adds the nodes, or asks what to do with those it has already.
  const outcome = await waitFor(
    async () => {
      if (await page.locator('#red-ui-clipboard-dialog-import-conflict').isVisible()) return 'conflict';
      return (await count()) > before ? 'imported' : null;
    },
    10000,
    `${name} to be imported`,
  );
  assert.equal(outcome, 'imported', `importing ${name}: Node-RED says its nodes already exist`);
  const dragging = await page.evaluate(() => {
    const RED = (window as unknown as { RED: ViewRed }).RED;
    return RED.view.state() === RED.state.IMPORT_DRAGGING;
  });
  if (dragging) {
    const chart = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
    await page.mouse.move(chart.x + 120, chart.y + 120, { steps: 5 });
    await page.mouse.down();
    await page.mouse.up();
  }
  await page.waitForFunction(() => {
    const RED = (window as unknown as { RED: ViewRed }).RED;
    return RED.view.state() === RED.state.DEFAULT;
  });
  return page.evaluate(() =>
    ((window as unknown as { RED: ViewRed }).RED.view.selection().nodes ?? []).map((n) => n.id),
  );
}

/**
 * The end of an editor test run: closes Chromium, stops Node-RED (which must exit cleanly on
 * SIGTERM), waits until no process carrying the run's marker is left, and removes its user directory.
 */
export async function endEditorRun(
  browser: EditorBrowser,
  red: NodeRedProcess,
  marker: string,
  run: string,
  userDir: string,
): Promise<void> {
  await browser.close();
  assert.equal(await red.stop(), 0, 'Node-RED exits cleanly on SIGTERM');
  await waitFor(
    () => processesWithEnv(marker, run).length === 0,
    10000,
    'every process of the run to exit',
  ).catch(() => assert.fail(`left behind:\n${processesWithEnv(marker, run).join('\n')}`));
  rmSync(userDir, { recursive: true, force: true });
}
