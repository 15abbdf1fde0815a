import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { demoClip, demoClipHalfSize, testTmp } from '../../support/assets';
import {
  cancelDialog,
  deploy,
  EditorBrowser,
  editorNodes,
  NodeSummary,
  openDialog,
  openEditor,
  processesWithEnv,
  endEditorRun,
} from '../../support/node-red/editor';
import { NodeRedProcess } from '../../support/node-red/node-red-process';
import { waitFor } from '../../support/processes';

/** Screenshots of the dialogs, for the record (and the README's pictures). */
const SHOTS = path.join(testTmp, 'area-drawing');
/** Every process of the run (Node-RED, its ffmpeg, Chromium) carries this in its environment. */
const MARKER = 'STORE_ANALYTICS_DRAWING_TEST';
const TAB = 'drawing-tab';

/** rtsp-in -> yolo-detect -> tracker -> line-counter and zone-monitor, nothing drawn yet. */
function flow(): object[] {
  return [
    { id: TAB, type: 'tab', label: 'Counting' },
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
      z: TAB,
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
      z: TAB,
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
    { id: 'track', type: 'tracker', z: TAB, name: 'track', x: 480, y: 100, wires: [['lc', 'zm']] },
    {
      id: 'lc',
      type: 'line-counter',
      z: TAB,
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
      z: TAB,
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

/**
 * Not deployed: two more cameras (a file at half size, an RTSP stream) and the deployed one, joined
 * by link nodes before a new line-counter.
 */
function undeployed(): object[] {
  const camera = (id: string, url: string, y: number) => ({
    id,
    type: 'rtsp-in',
    z: TAB,
    name: '',
    url,
    cameraId: id,
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
    y,
    wires: [['new-link-out']],
  });
  return [
    camera('entrance', demoClipHalfSize(), 260),
    camera('street', 'rtsp://127.0.0.1:9/nothing', 320),
    {
      id: 'new-link-out',
      type: 'link out',
      z: TAB,
      mode: 'link',
      links: ['new-link-in'],
      x: 260,
      y: 290,
      wires: [],
    },
    {
      id: 'new-link-in',
      type: 'link in',
      z: TAB,
      links: ['new-link-out'],
      x: 380,
      y: 290,
      wires: [['new-lc']],
    },
    {
      id: 'new-lc',
      type: 'line-counter',
      z: TAB,
      name: 'new door',
      camera: '',
      lines: '[]',
      bandPx: 12,
      minSideSeconds: 0.3,
      occupancy: true,
      occupancyResetHour: '',
      directory: '',
      x: 560,
      y: 290,
      wires: [[], []],
    },
  ];
}

type Red = {
  nodes: {
    node(id: string): Record<string, unknown> | null;
    import(nodes: object[], options: object): unknown;
    remove(id: string): unknown;
    dirty(d?: boolean): boolean;
  };
  view: { redraw(full?: boolean): void };
};

/** A setting of a node as the editor holds it (what Deploy sends). */
function setting(page: Page, id: string, key: string): Promise<string> {
  return page.evaluate(
    ({ id, key }) => String((window as unknown as { RED: Red }).RED.nodes.node(id)![key] ?? ''),
    { id, key },
  );
}

/** The picture's box on the page, and a point of it given as fractions. */
async function stagePoint(page: Page, fx: number, fy: number): Promise<[number, number]> {
  const box = (await page.locator('.red-ui-tray .sa-areas-svg').boundingBox())!;
  return [box.x + fx * box.width, box.y + fy * box.height];
}

/** Waits until the dialog shows a camera picture `width` pixels wide. */
async function waitForPicture(page: Page, width = 768): Promise<void> {
  await page.waitForFunction(
    (width) => {
      const img = document.querySelector<HTMLImageElement>('.red-ui-tray .sa-areas-picture');
      const stage = document.querySelector('.red-ui-tray .sa-areas-stage');
      return (
        !!img && img.complete && img.naturalWidth === width && !stage?.classList.contains('sa-areas-blank')
      );
    },
    width,
    { timeout: 20000 },
  );
  // The tray slides in and the picture's size sets the stage's: points are read from the stage's box,
  // so wait until it stops moving (on a loaded machine the slide lags behind the picture).
  let last = '';
  for (let i = 0; i < 50; i++) {
    const box = JSON.stringify(await page.locator('.red-ui-tray .sa-areas-svg').boundingBox());
    if (box === last) return;
    last = box;
    await page.waitForTimeout(150);
  }
  throw new Error(`the drawing stage kept moving: ${last}`);
}

async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const [x1, y1] = await stagePoint(page, ...from);
  const [x2, y2] = await stagePoint(page, ...to);
  await page.mouse.move(x1, y1);
  await page.mouse.down();
  await page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, { steps: 5 });
  await page.mouse.move(x2, y2, { steps: 5 });
  await page.mouse.up();
}

async function clickAt(page: Page, fx: number, fy: number): Promise<void> {
  const [x, y] = await stagePoint(page, fx, fy);
  await page.mouse.click(x, y);
}

async function done(page: Page): Promise<void> {
  await page.locator('#node-dialog-ok').click();
  await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0, undefined, {
    timeout: 10000,
  });
}

/** The "in" arrow's tip as fractions of the picture. */
function arrowTip(page: Page): Promise<[number, number]> {
  return page.evaluate(() => {
    const svg = document.querySelector<SVGSVGElement>('.red-ui-tray .sa-areas-svg')!;
    const [, , w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    const tip = svg
      .querySelector('.sa-in-arrow')!
      .getAttribute('points')!
      .split(' ')[0]
      .split(',')
      .map(Number);
    return [tip[0] / w, tip[1] / h] as [number, number];
  });
}

const near = (got: number[], want: number[]) =>
  Math.abs(got[0] - want[0]) < 0.01 && Math.abs(got[1] - want[1]) < 0.01;

describe('drawing a line and a zone on the camera picture in the editor', function () {
  this.timeout(180000);
  const run = randomUUID();
  let red: NodeRedProcess | undefined;
  let browser: EditorBrowser | undefined;
  let userDir = '';
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    userDir = mkdtempSync(path.join(testTmp, 'node-red-drawing-'));
    writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow()));
    demoClipHalfSize(); // encoded before the clock runs
    red = await NodeRedProcess.start({ ADMIN_PASSWORD: '', ADMIN_PASSWORD_HASH: '', [MARKER]: run }, userDir);
    browser = await EditorBrowser.launch({ [MARKER]: run });
    browser.page.on('pageerror', (err) => pageErrors.push(`${err.name}: ${err.message}`));
    await openEditor(browser.page, `${red.url}/admin/`);
  });

  after(async () => {
    // Only when a test failed before the last one stopped everything.
    await browser?.close();
    await red?.stop();
  });

  it('serves the camera picture: the running camera, a file before deploying, and says why not', async () => {
    const frame = (id: string, url?: string) =>
      fetch(
        `${red!.url}/admin/store-analytics/frame/${id}${url === undefined ? '' : `?url=${encodeURIComponent(url)}`}`,
      );
    const running = await waitFor(
      async () => {
        const r = await frame('cam');
        return r.status === 200 ? r : null;
      },
      20000,
      'the running camera’s picture',
    );
    assert.equal(running.headers.get('content-type'), 'image/jpeg');
    assert.equal(running.headers.get('cache-control'), 'no-store');
    const file = await frame('not-deployed', demoClip());
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/jpeg');
    const stream = await frame('not-deployed', 'rtsp://10.0.0.9/a');
    assert.equal(stream.status, 404);
    assert.match(await stream.text(), /deploy the flow/);
    const notACamera = await frame('track');
    assert.equal(notACamera.status, 404);
    assert.match(await notACamera.text(), /not a camera/);
  });

  it('shows the wired cameras before they are deployed, through link nodes, and picks the counted one', async () => {
    const page = browser!.page;
    await page.evaluate((nodes) => {
      const RED = (window as unknown as { RED: Red }).RED;
      RED.nodes.import(nodes, { generateIds: false, markChanged: true });
      // The deployed camera feeds the new counter too.
      RED.nodes.import(
        [
          {
            id: 'cam-to-new',
            type: 'link out',
            z: 'drawing-tab',
            mode: 'link',
            links: ['new-link-in'],
            x: 260,
            y: 160,
            wires: [],
          },
        ],
        { generateIds: false, markChanged: true },
      );
      (RED.nodes.node('new-link-in') as { links: string[] }).links.push('cam-to-new');
      RED.view.redraw(true);
    }, undeployed());
    // Wire cam -> cam-to-new as the editor does: a link object.
    await page.evaluate(() => {
      const RED = (
        window as unknown as {
          RED: {
            nodes: { node(id: string): object; addLink(l: object): void };
            view: { redraw(f?: boolean): void };
          };
        }
      ).RED;
      RED.nodes.addLink({
        source: RED.nodes.node('cam'),
        sourcePort: 0,
        target: RED.nodes.node('cam-to-new'),
      });
      RED.view.redraw(true);
    });
    const lc = (await editorNodes(page)).find((n) => n.id === 'new-lc')!;
    const problems = await openDialog(page, lc);
    assert.deepEqual(problems.inputErrors, []);
    const picker = page.locator('.red-ui-tray select.sa-areas-camera');
    assert.deepEqual(
      (await picker.locator('option').allInnerTexts()).sort(),
      ['entrance', 'plaza', 'street'],
      'every camera upstream, through the link nodes',
    );
    // Not deployed, a file: its first frame (the half-size clip).
    await picker.selectOption({ label: 'entrance' });
    await waitForPicture(page, 384);
    assert.equal(
      await page.locator('#node-input-camera').inputValue(),
      'entrance',
      'the camera chosen is counted',
    );
    assert.match(
      await page.locator('.red-ui-tray .sa-areas-camera-note').innerText(),
      /Counts camera entrance only/,
    );
    await page.screenshot({ path: path.join(SHOTS, 'not-deployed-file.png') });
    // Not deployed, a stream: a blank frame that says why.
    await picker.selectOption({ label: 'street' });
    await page.locator('.red-ui-tray .sa-areas-stage.sa-areas-blank').waitFor({ timeout: 10000 });
    assert.match(await page.locator('.red-ui-tray .sa-areas-message').innerText(), /deploy the flow/);
    await page.screenshot({ path: path.join(SHOTS, 'not-deployed-stream.png') });
    // Typing the camera id shows that camera (the deployed one: its latest frame).
    await page.locator('#node-input-camera').fill('plaza');
    await waitForPicture(page, 768);
    assert.equal(await picker.inputValue(), 'cam');
    await page.locator('#node-input-camera').fill('nowhere');
    assert.match(
      await page.locator('.red-ui-tray .sa-areas-camera-note').innerText(),
      /not wired to this node/,
    );
    await cancelDialog(page, lc);

    // Taken out again: the flow deployed below is the one the test started with.
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: Red }).RED;
      for (const id of ['entrance', 'street', 'new-link-out', 'new-link-in', 'new-lc', 'cam-to-new'])
        RED.nodes.remove(id);
      RED.view.redraw(true);
    });
    assert.equal(await setting(page, 'cam', 'type'), 'rtsp-in');
  });

  it('draws a line with a drag and a zone with clicks, Done, Deploy, and the crossings and visits are counted', async () => {
    const page = browser!.page;
    const nodes = await editorNodes(page);
    const lc = nodes.find((n) => n.id === 'lc')!;
    const zm = nodes.find((n) => n.id === 'zm')!;

    await openDialog(page, lc);
    await waitForPicture(page);
    // A click is not a line.
    await clickAt(page, 0.3, 0.3);
    assert.equal(await page.locator('.red-ui-tray .sa-areas-row').count(), 0);
    // Down the middle of the plaza, top to bottom: left -> right is "in".
    await drag(page, [0.5, 0.26], [0.5, 0.97]);
    const name = page.locator('.red-ui-tray .sa-areas-name').first();
    assert.equal(await name.inputValue(), 'line 1', 'a new line gets a default name');
    assert.ok(await name.evaluate((el) => el === document.activeElement), 'and its name field has the focus');
    await name.fill('middle');
    assert.equal(await page.locator('.red-ui-tray .sa-in-arrow').count(), 1, 'the "in" arrow is drawn');
    const tip = await arrowTip(page);
    assert.ok(tip[0] > 0.5 && Math.abs(tip[1] - 0.615) < 0.05, `the arrow points right: ${tip}`);
    assert.equal(await page.locator('.red-ui-tray .sa-areas-way').innerText(), 'in: left → right');
    // Reverse swaps the ends, and back.
    const reverse = page.locator('.red-ui-tray .sa-areas-reverse');
    await reverse.click();
    assert.equal(await page.locator('.red-ui-tray .sa-areas-way').innerText(), 'in: right → left');
    assert.ok((await arrowTip(page))[0] < 0.5, 'reversed: the arrow points left');
    await reverse.click();
    await page.screenshot({ path: path.join(SHOTS, 'draw-line.png') });
    await done(page);

    await openDialog(page, zm);
    await waitForPicture(page);
    // Esc cancels a zone being drawn.
    await clickAt(page, 0.1, 0.1);
    await clickAt(page, 0.3, 0.1);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.red-ui-tray').count(), 1, 'Esc does not close the dialog');
    assert.equal(await page.locator('.red-ui-tray .sa-areas-row').count(), 0, 'Esc cancelled the zone');
    for (const [fx, fy] of [
      [0.2, 0.43],
      [0.8, 0.43],
      [0.8, 0.87],
      [0.2, 0.87],
    ]) {
      await clickAt(page, fx, fy);
    }
    await clickAt(page, 0.2, 0.43); // back on the first corner: closed
    const zoneName = page.locator('.red-ui-tray .sa-areas-name').first();
    assert.equal(await zoneName.inputValue(), 'zone 1');
    await zoneName.fill('walkway');
    // The same zone from an environment variable, and back to the drawing.
    await page.locator('.red-ui-tray .sa-areas-env-button').click();
    assert.equal(await page.locator('#node-input-zones').inputValue(), '${COUNTING_ZONES}');
    await page.locator('.red-ui-tray .sa-areas-env button').click();
    assert.match(await page.locator('#node-input-zones').inputValue(), /"walkway"/);
    await page.screenshot({ path: path.join(SHOTS, 'draw-zone.png') });
    await done(page);

    const lines = JSON.parse(await setting(page, 'lc', 'lines')) as Array<{
      name: string;
      from: number[];
      to: number[];
    }>;
    const zones = JSON.parse(await setting(page, 'zm', 'zones')) as Array<{
      name: string;
      polygon: number[][];
    }>;
    assert.equal(lines.length, 1);
    assert.equal(lines[0].name, 'middle');
    assert.ok(near(lines[0].from, [0.5, 0.26]) && near(lines[0].to, [0.5, 0.97]), JSON.stringify(lines[0]));
    assert.equal(zones.length, 1);
    assert.equal(zones[0].name, 'walkway');
    assert.equal(zones[0].polygon.length, 4);
    const all = [...lines.flatMap((l) => [...l.from, ...l.to]), ...zones[0].polygon.flat()];
    assert.ok(
      all.every((v) => v >= 0 && v <= 1 && Math.round(v * 10000) === v * 10000),
      `fractions of the frame, 4 decimals: ${all}`,
    );

    assert.deepEqual(await deploy(page), { deployed: true }, 'deployed with no warning');
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
      90000,
      'two crossings counted and saved',
    );
    assert.deepEqual(Object.keys(footfall.lines), ['middle']);
    // The nodes' statuses under them in the editor say the counts and the visits.
    const statuses = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('#red-ui-workspace-chart .red-ui-flow-node-status-label')).map(
          (l) => l.textContent ?? '',
        ),
      );
    await waitFor(
      async () => (await statuses()).some((s) => /\d+ in, \d+ out/.test(s)),
      10000,
      'the line-counter to show its counts',
    );
    await waitFor(
      async () => (await statuses()).some((s) => /[1-9]\d* visits today/.test(s)),
      60000,
      'the zone-monitor to show visits',
    ).catch(async (err: Error) => assert.fail(`${err.message}: ${(await statuses()).join(' | ')}`));
    await page.screenshot({ path: path.join(SHOTS, 'counting-deployed.png') });
  });

  it('moves a corner by dragging and deletes it with the Delete key; a zone keeps three corners', async () => {
    const page = browser!.page;
    const zm = (await editorNodes(page)).find((n) => n.id === 'zm')!;
    await openDialog(page, zm);
    await waitForPicture(page);
    await drag(page, [0.8, 0.87], [0.9, 0.9]);
    await page.keyboard.press('Delete'); // the dragged corner is the selected one
    // Right-click removes a corner too.
    await page.mouse.click(...(await stagePoint(page, 0.8, 0.43)), { button: 'right' });
    await page.locator('.red-ui-notification', { hasText: 'at least 3 corners' }).waitFor({ timeout: 5000 });
    await done(page);
    const zones = JSON.parse(await setting(page, 'zm', 'zones')) as Array<{ polygon: number[][] }>;
    assert.equal(zones[0].polygon.length, 3, 'the right-click on a corner of a triangle removed nothing');
    assert.ok(!zones[0].polygon.some((p) => near(p, [0.9, 0.9])), 'the dragged corner is gone');
  });

  it('refuses shapes without a name, or with a name used twice', async () => {
    const page = browser!.page;
    const lc: NodeSummary = (await editorNodes(page)).find((n) => n.id === 'lc')!;
    await openDialog(page, lc);
    await waitForPicture(page);
    await drag(page, [0.2, 0.2], [0.4, 0.2]);
    await page.locator('.red-ui-tray .sa-areas-name').nth(1).fill('middle');
    assert.equal(await page.locator('.red-ui-tray .sa-areas-name.input-error').count(), 1);
    const problem = await page.evaluate(() => {
      const areas = (window as unknown as { StoreAnalyticsAreas: { problem(k: string, s: unknown): string } })
        .StoreAnalyticsAreas;
      return areas.problem(
        'lines',
        JSON.parse((document.getElementById('node-input-lines') as HTMLInputElement).value),
      );
    });
    assert.match(problem, /"middle" is used twice/);
    await cancelDialog(page, lc);
    assert.equal(JSON.parse(await setting(page, 'lc', 'lines')).length, 1, 'Cancel keeps the saved lines');
    assert.deepEqual(pageErrors, [], 'errors in the editor page');
  });

  it('stops Node-RED and Chromium and leaves no process behind', async () => {
    assert.ok(processesWithEnv(MARKER, run).length > 0, 'the run’s processes are found by their marker');
    const [ending, stopping] = [browser!, red!];
    browser = undefined;
    red = undefined;
    await endEditorRun(ending, stopping, MARKER, run, userDir);
  });
});
