import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { demoClip, projectRoot, testTmp } from '../support/assets';
import {
  deploy,
  EditorBrowser,
  editorNodes,
  openDialog,
  openEditor,
  processesWithEnv,
} from '../support/editor';
import { NodeRedProcess } from '../support/node-red-process';
import { waitFor } from '../support/processes';

const ARTIFACTS = path.join(projectRoot, 'test-artifacts');
const MARKER = 'STORE_ANALYTICS_DRAWING_TEST';

/** rtsp-in -> yolo-detect -> tracker -> line-counter and zone-monitor, nothing drawn yet. */
function flow(): object[] {
  const tab = 'drawing-tab';
  return [
    { id: tab, type: 'tab', label: 'Counting' },
    {
      id: 'model',
      type: 'yolo-model',
      name: 'yolov8n',
      modelPath: '',
      threads: 1,
      sessions: 0,
      executionProvider: 'cpu',
    },
    {
      id: 'cam',
      type: 'rtsp-in',
      z: tab,
      name: 'plaza',
      url: demoClip(),
      cameraId: 'plaza',
      transport: 'tcp',
      loop: true,
      realtime: true,
      fps: 0,
      width: 0,
      height: 0,
      quality: 5,
      stallTimeout: 10,
      autoStart: true,
      x: 120,
      y: 100,
      wires: [['detect']],
    },
    {
      id: 'detect',
      type: 'yolo-detect',
      z: tab,
      name: 'detect',
      model: 'model',
      classes: 'person',
      scoreThreshold: 0.5,
      iouThreshold: 0.7,
      detectEvery: 1,
      x: 300,
      y: 100,
      wires: [['track']],
    },
    { id: 'track', type: 'tracker', z: tab, name: 'track', x: 480, y: 100, wires: [['lc', 'zm']] },
    {
      id: 'lc',
      type: 'line-counter',
      z: tab,
      name: '',
      camera: '',
      lines: '[]',
      bandPx: 12,
      minSideSeconds: 0.3,
      occupancy: true,
      occupancyResetHour: '',
      directory: '',
      x: 680,
      y: 80,
      wires: [[], []],
    },
    {
      id: 'zm',
      type: 'zone-monitor',
      z: tab,
      name: '',
      camera: '',
      zones: '[]',
      inertiaSeconds: 1,
      rules: '[]',
      directory: '',
      x: 680,
      y: 160,
      wires: [[], [], []],
    },
  ];
}

/** The picture's box on the page, and a point of it given as fractions. */
async function stagePoint(page: Page, fx: number, fy: number): Promise<[number, number]> {
  const box = (await page.locator('.red-ui-tray .sa-areas-svg').boundingBox())!;
  return [box.x + fx * box.width, box.y + fy * box.height];
}

async function waitForPicture(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const img = document.querySelector<HTMLImageElement>('.red-ui-tray .sa-areas-picture');
      return !!img && img.naturalWidth === 768 && img.complete;
    },
    undefined,
    { timeout: 20000 },
  );
}

async function done(page: Page): Promise<void> {
  await page.locator('#node-dialog-ok').click();
  await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0, undefined, {
    timeout: 10000,
  });
}

describe('drawing a line and a zone on the camera picture in the editor', function () {
  this.timeout(180000);
  const run = randomUUID();
  let red: NodeRedProcess | undefined;
  let browser: EditorBrowser | undefined;
  let userDir = '';

  before(async () => {
    mkdirSync(testTmp, { recursive: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    userDir = mkdtempSync(path.join(testTmp, 'node-red-drawing-'));
    writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow()));
    red = await NodeRedProcess.start({ ADMIN_PASSWORD: '', ADMIN_PASSWORD_HASH: '', [MARKER]: run }, userDir);
    browser = await EditorBrowser.launch({ [MARKER]: run });
    await openEditor(browser.page, `${red.url}/admin/`);
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
    await waitFor(() => processesWithEnv(MARKER, run).length === 0, 10000, 'no process of the run left');
  });

  it('serves the camera picture to the dialog: the running camera, and a file before deploying', async () => {
    const running = await fetch(`${red!.url}/admin/store-analytics/frame/cam`);
    assert.equal(running.status, 200);
    assert.equal(running.headers.get('content-type'), 'image/jpeg');
    const file = await fetch(
      `${red!.url}/admin/store-analytics/frame/not-deployed?url=${encodeURIComponent(demoClip())}`,
    );
    assert.equal(file.status, 200);
    const stream = await fetch(
      `${red!.url}/admin/store-analytics/frame/not-deployed?url=rtsp%3A%2F%2F10.0.0.9%2Fa`,
    );
    assert.equal(stream.status, 404);
    assert.match(await stream.text(), /deploy the flow/);
  });

  it('draws a line with a drag and a zone with clicks, Done, Deploy, and the crossings are counted', async () => {
    const page = browser!.page;
    const nodes = await editorNodes(page);
    const lc = nodes.find((n) => n.id === 'lc')!;
    const zm = nodes.find((n) => n.id === 'zm')!;

    await openDialog(page, lc);
    await waitForPicture(page);
    // Down the middle of the plaza, top to bottom: left -> right is "in".
    const [x1, y1] = await stagePoint(page, 0.5, 0.26);
    const [x2, y2] = await stagePoint(page, 0.5, 0.97);
    await page.mouse.move(x1, y1);
    await page.mouse.down();
    await page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, { steps: 5 });
    await page.mouse.move(x2, y2, { steps: 5 });
    await page.mouse.up();
    const name = page.locator('.red-ui-tray .sa-areas-name').first();
    await name.fill('middle');
    assert.equal(await page.locator('.red-ui-tray .sa-arrow').count(), 1, 'the "in" arrow is drawn');
    await page.screenshot({ path: path.join(ARTIFACTS, 'editor-draw-line.png') });
    await done(page);

    await openDialog(page, zm);
    await waitForPicture(page);
    const corners: Array<[number, number]> = [
      [0.2, 0.43],
      [0.8, 0.43],
      [0.8, 0.87],
      [0.2, 0.87],
    ];
    for (const [fx, fy] of corners) {
      const [x, y] = await stagePoint(page, fx, fy);
      await page.mouse.click(x, y);
    }
    const [fx0, fy0] = await stagePoint(page, 0.2, 0.43);
    await page.mouse.click(fx0, fy0); // back on the first corner: closed
    await page.locator('.red-ui-tray .sa-areas-name').first().fill('walkway');
    await page.screenshot({ path: path.join(ARTIFACTS, 'editor-draw-zone.png') });
    await done(page);

    const saved = await page.evaluate(() => {
      const RED = (
        window as unknown as { RED: { nodes: { node(id: string): { lines?: string; zones?: string } } } }
      ).RED;
      return { lines: RED.nodes.node('lc').lines!, zones: RED.nodes.node('zm').zones! };
    });
    const lines = JSON.parse(saved.lines) as Array<{ name: string; from: number[]; to: number[] }>;
    const zones = JSON.parse(saved.zones) as Array<{ name: string; polygon: number[][] }>;
    assert.equal(lines.length, 1);
    assert.equal(lines[0].name, 'middle');
    for (const [got, want] of [
      [lines[0].from, [0.5, 0.26]],
      [lines[0].to, [0.5, 0.97]],
    ]) {
      assert.ok(
        Math.abs(got[0] - want[0]) < 0.01 && Math.abs(got[1] - want[1]) < 0.01,
        `${got} near ${want}`,
      );
    }
    assert.equal(zones.length, 1);
    assert.equal(zones[0].name, 'walkway');
    assert.equal(zones[0].polygon.length, 4);
    assert.ok(
      zones[0].polygon.flat().every((v) => v >= 0 && v <= 1),
      'fractions of the frame',
    );

    assert.deepEqual(await deploy(page), { deployed: true });
    const counts = path.join(userDir, 'data', 'counts');
    const footfall = await waitFor(
      () => {
        if (!existsSync(counts)) return null;
        for (const day of readdirSync(counts)) {
          const file = readdirSync(path.join(counts, day)).find((f) => f.startsWith('plaza.footfall.'));
          if (!file) continue;
          const f = JSON.parse(readFileSync(path.join(counts, day, file), 'utf8'));
          if (f.in + f.out >= 2) return f;
        }
        return null;
      },
      120000,
      'two crossings counted and saved',
    );
    assert.deepEqual(Object.keys(footfall.lines), ['middle']);
    // The node's status under it in the editor says the counts.
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('#red-ui-workspace-chart .red-ui-flow-node-status-label')).some(
          (l) => /\d+ in, \d+ out/.test(l.textContent ?? ''),
        ),
      undefined,
      { timeout: 10000 },
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'editor-counting-deployed.png') });
  });

  it('moves a point by dragging and deletes it with the Delete key', async () => {
    const page = browser!.page;
    const zm = (await editorNodes(page)).find((n) => n.id === 'zm')!;
    await openDialog(page, zm);
    await waitForPicture(page);
    const [x, y] = await stagePoint(page, 0.8, 0.87);
    const [tx, ty] = await stagePoint(page, 0.9, 0.9);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(tx, ty, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.press('Delete'); // the dragged corner is the selected one
    await done(page);
    const zones = JSON.parse(
      await page.evaluate(
        () =>
          (window as unknown as { RED: { nodes: { node(id: string): { zones: string } } } }).RED.nodes.node(
            'zm',
          ).zones,
      ),
    ) as Array<{ polygon: number[][] }>;
    assert.equal(zones[0].polygon.length, 3);
    assert.ok(!zones[0].polygon.some(([px, py]) => Math.abs(px - 0.8) < 0.01 && Math.abs(py - 0.87) < 0.01));
  });
});
