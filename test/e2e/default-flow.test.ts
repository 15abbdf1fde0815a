import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { demoClip, projectRoot } from '../../support/assets';
import { MjpegTestClient } from '../../support/video/mjpeg-client';
import { childProcesses } from '../faults/store-box';
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/node-red/editor';
import { NodeRedProcess } from '../../support/node-red/node-red-process';
import { ffmpegProcessesWith, sleep, waitFor } from '../../support/processes';
import type { StatisticsAnswer as Statistics } from '../../support/node-red/statistics-answer';

/** Screenshots the browser tests take, kept for people to look at (gitignored). */
const ARTIFACTS = path.join(projectRoot, 'test-artifacts');

interface SaveAnswer {
  savedAt: number;
  saved: Array<{ cameraId: string; npy: string; png: string; json: string }>;
  error?: string;
}

async function launchChromium(): Promise<Browser> {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: apt-get install chromium (the README's install does)`,
  );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
}

describe('the default flow in a real Node-RED runtime (npm start)', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  const statistics = async (): Promise<Statistics> =>
    (await (await fetch(`${red.url}/statistics`)).json()) as Statistics;
  /** Waits for numbers analysed after `after` (ms since epoch). */
  const statisticsAfter = (after: number, what: string) =>
    waitFor(
      async () => {
        const s = await statistics();
        return s.camera && s.updatedAt > after ? s : null;
      },
      30000,
      what,
    );

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    red = await NodeRedProcess.start();
  });
  after(async () => {
    await red?.stop();
  });

  it('plays the demo clip when no camera is configured', async () => {
    assert.match(red.output, /CAMERA_URL is not set: playing the demo clip/);
    await waitFor(() => ffmpegProcessesWith(demoClip()).length === 1, 10000, 'ffmpeg to play the clip');
  });

  it('runs Node-RED with two malloc arenas and a fixed mmap threshold (flat memory over hours)', () => {
    // The launcher's one child is the runtime (red.js renames itself "node-red").
    const [runtime] = childProcesses(red.child.pid!, 'node-red');
    assert.ok(runtime, 'the Node-RED runtime process');
    const environ = readFileSync(`/proc/${runtime.pid}/environ`, 'utf8').split('\0');
    for (const setting of ['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072']) {
      assert.ok(environ.includes(setting), `runtime ${runtime.pid} environment has ${setting}`);
    }
  });

  it('serves the store page at / and the editor at /admin', async () => {
    const page = await fetch(`${red.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<img id="video" src="overlay_feed"/);
    const editor = await fetch(`${red.url}/admin/`);
    assert.equal(editor.status, 200);
    assert.match(await editor.text(), /Node-RED/);
  });

  it('lists every node, the dashboard and the example flow', async () => {
    const nodes = (await (
      await fetch(`${red.url}/admin/nodes`, { headers: { Accept: 'application/json' } })
    ).json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>;
    const ours = nodes.filter((n) => n.module === 'node-red-contrib-store-analytics');
    assert.deepEqual(ours.flatMap((n) => n.types).sort(), [
      'analytics-history',
      'head-office',
      'heatmap',
      'heatmap-store',
      'line-counter',
      'mjpeg-out',
      'rtsp-in',
      'store-uplink',
      'tracker',
      'yolo-detect',
      'yolo-model',
      'zone-monitor',
    ]);
    assert.ok(ours.every((n) => n.enabled && !n.err));
    assert.ok(nodes.some((n) => n.module === 'node-red-dashboard' && n.enabled && !n.err));
    const html = await (await fetch(`${red.url}/admin/nodes`, { headers: { Accept: 'text/html' } })).text();
    assert.match(html, /data-template-name="heatmap-store"/);
    assert.match(html, /data-help-name="heatmap-store"/);
    const examples = await (
      await fetch(`${red.url}/admin/library/examples/flows/node-red-contrib-store-analytics`)
    ).json();
    assert.match(JSON.stringify(examples), /01 one camera/);
    assert.match(JSON.stringify(examples), /02 several cameras/);
    assert.match(JSON.stringify(examples), /03 counting and zones/);
  });

  it('streams the raw clip at /video_feed and the heat overlay at /overlay_feed', async () => {
    for (const feed of ['video_feed', 'overlay_feed']) {
      const client = new MjpegTestClient(`${red.url}/${feed}`);
      try {
        await client.connected;
        await waitFor(() => client.frames.length >= 5, 20000, `5 frames from /${feed}`);
        for (const frame of client.frames) assert.deepEqual(readJpegSize(frame), { width: 768, height: 576 });
      } finally {
        client.close();
      }
    }
  });

  it('answers /statistics with live numbers: JSON, and HTML for a browser', async () => {
    const s = await waitFor(
      async () => {
        const now = await statistics();
        return now.camera && now.peopleInView > 0 && now.uniquePeople > 0 && now.totalActivitySeconds > 0
          ? now
          : null;
      },
      30000,
      'people and activity in the statistics',
    );
    assert.equal(s.camera, 'camera-1');
    assert.match(s.cameraStatus, /^streaming/);
    assert.ok(s.floorShareVisited > 0 && s.floorShareVisited <= 1);
    assert.equal(s.cameraGapSeconds, 0);
    const html = await fetch(`${red.url}/statistics`, { headers: { Accept: 'text/html' } });
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await html.text(), /<td>uniquePeople<\/td><td>\d+<\/td>/);
    const json = await fetch(`${red.url}/statistics?format=json`, { headers: { Accept: 'text/html' } });
    assert.match(json.headers.get('content-type') ?? '', /application\/json/);
  });

  it("answers at once what it cannot serve: 404 for a camera's feeds it has not, 400 for a bad date, 413 for a body too large", async () => {
    // A camera of the flow is served before any overlay frame of it is drawn; no other camera is.
    const overlay = new MjpegTestClient(`${red.url}/overlay_feed/camera-1`);
    try {
      await overlay.connected;
      assert.equal(overlay.statusCode, 200);
      await waitFor(() => overlay.frames.length >= 2, 20000, 'frames from /overlay_feed/camera-1');
    } finally {
      overlay.close();
    }
    for (const feed of ['video_feed', 'overlay_feed']) {
      const unknown = await fetch(`${red.url}/${feed}/no-such-camera`, { signal: AbortSignal.timeout(5000) });
      assert.equal(unknown.status, 404, feed);
      assert.match(await unknown.text(), /^no camera no-such-camera \(cameras: camera-1\)/);
    }
    for (const date of ['2026-13-45', '../../etc/passwd']) {
      const bad = await fetch(`${red.url}/history?date=${encodeURIComponent(date)}`);
      assert.equal(bad.status, 400, date);
      assert.match(((await bad.json()) as { error: string }).error, /date must be a date as YYYY-MM-DD/);
    }
    const badCsv = await fetch(`${red.url}/history.csv?date=2026-13-45`);
    assert.equal(badCsv.status, 400);
    assert.match(await badCsv.text(), /date must be a date/);
    const post = (body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(`${red.url}/save_heatmap`, { method: 'POST', headers: { 'content-type': type }, body });
    const big = await post('a'.repeat(6 * 1048576));
    assert.equal(big.status, 413);
    assert.match(await big.text(), /^request body too large \(6 MB\): this endpoint takes at most 5 MB/);
    assert.equal((await post(`{"x": "${'a'.repeat(6 * 1048576)}"}`, 'application/json')).status, 413);
    const fields = await post(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&'));
    assert.equal(fields.status, 413);
    assert.match(await fields.text(), /^too many form fields/);
    assert.equal(
      (
        await fetch(`${red.url}/reset_heatmap`, {
          method: 'POST',
          body: 'x'.repeat(6 << 20),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
      413,
    );
    // Node-RED is still there.
    assert.equal((await fetch(`${red.url}/statistics?format=json`)).status, 200);
  });

  it('saves NumPy data, PNG and JSON on GET and POST /save_heatmap', async () => {
    for (const method of ['GET', 'POST']) {
      const answer = await fetch(`${red.url}/save_heatmap`, { method });
      assert.equal(answer.status, 200, method);
      const body = (await answer.json()) as SaveAnswer;
      assert.equal(body.error, undefined);
      assert.equal(body.saved.length, 1);
      // The answer names the files under data/saved_heatmaps, not where that is on the disk.
      assert.equal(body.saved[0].npy, path.join(dayFolder(Date.now()), 'heatmap_camera-1.npy'));
      assert.ok(!JSON.stringify(body).includes(red.userDir), JSON.stringify(body));
      const store = path.join(red.userDir, 'data', 'saved_heatmaps');
      const files = {
        npy: path.join(store, body.saved[0].npy),
        png: path.join(store, body.saved[0].png),
        json: path.join(store, body.saved[0].json),
      };
      const meta = JSON.parse(readFileSync(files.json, 'utf8'));
      assert.equal(meta.cameraId, 'camera-1');
      assert.ok(readFileSync(files.png).subarray(1, 4).equals(Buffer.from('PNG')));
      const [shape, sum] = execFileSync('/usr/bin/python3', [
        '-c',
        `import numpy; a = numpy.load(${JSON.stringify(files.npy)}); print(a.shape); print(float(a.sum()))`,
      ])
        .toString()
        .trim()
        .split('\n');
      assert.equal(shape, '(72, 96)');
      // The grid is float32 and NumPy sums it in float32: equal to the JSON's total within rounding
      // (comparing both rounded to 0.1 failed once on 3.95).
      const total = meta.statistics.totalActivitySeconds as number;
      assert.ok(
        Math.abs(Number(sum) - total) <= 1e-4 * Math.max(1, total),
        `NumPy sum ${sum}, JSON total ${total}`,
      );
    }
    assert.ok((await statistics()).lastSavedAt);
  });

  it('empties the map and the visitor count on /reset_heatmap, and saves the empty day', async () => {
    const before = await statistics();
    assert.ok(before.totalActivitySeconds > 0);
    const resetAt = Date.now();
    const answer = await fetch(`${red.url}/reset_heatmap`, { method: 'POST' });
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { reset: boolean }).reset, true);
    const saved = path.join(red.userDir, 'data', 'saved_heatmaps');
    const day = execFileSync('ls', [saved]).toString().trim().split('\n').pop()!;
    await waitFor(
      () =>
        JSON.parse(readFileSync(path.join(saved, day, 'heatmap_camera-1.json'), 'utf8')).savedAt >= resetAt,
      5000,
      'the empty day to be saved',
    );
    const meta = JSON.parse(readFileSync(path.join(saved, day, 'heatmap_camera-1.json'), 'utf8'));
    assert.equal(meta.statistics.totalActivitySeconds, 0);
    assert.equal(meta.visitors, 0);
    const after = await statisticsAfter(resetAt + 500, 'numbers after the reset');
    assert.ok(after.since >= resetAt - 1000, 'counting starts again at the reset');
    assert.ok(after.totalActivitySeconds < before.totalActivitySeconds);
    assert.ok(after.uniquePeople <= before.uniquePeople);
    // GET works too (the app this replaces used GET).
    assert.equal((await fetch(`${red.url}/reset_heatmap`)).status, 200);
  });

  it('shows the store page and the dashboard tab with live video and numbers in a real browser', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${red.url}/`);
      await page.waitForFunction(
        () => (document.getElementById('video') as HTMLImageElement).naturalWidth === 768,
        undefined,
        {
          timeout: 15000,
        },
      );
      await page.waitForFunction(
        () => Number(document.getElementById('uniquePeople')!.textContent) > 0,
        undefined,
        {
          timeout: 30000,
        },
      );
      const shot1 = await page.locator('#video').screenshot();
      await sleep(1000);
      const shot2 = await page.locator('#video').screenshot();
      assert.ok(!shot1.equals(shot2), 'the video moves');
      await page.screenshot({ path: path.join(ARTIFACTS, 'store-page.png') });

      await page.goto(`${red.url}/ui/`);
      const video = page.locator('img[alt="live camera with heatmap"]');
      await waitFor(
        () => video.evaluate((img: HTMLImageElement) => img.naturalWidth === 768),
        20000,
        'the dashboard video',
      );
      const number = (label: string) => async () => {
        const text = (await page.locator('md-card', { hasText: label }).first().innerText())
          .replace(label, '')
          .trim();
        return /^\d+$/.test(text) ? Number(text) : null;
      };
      await waitFor(
        async () => ((await number('Visitors today')()) ?? 0) > 0,
        20000,
        'visitors on the dashboard',
      );
      await waitFor(
        async () => ((await number('People in view')()) ?? -1) >= 0,
        5000,
        'people on the dashboard',
      );
      await waitFor(() => page.getByText(/streaming \d/).count(), 10000, 'the camera status');
      await sleep(11000); // a second point on the chart
      await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png') });
      await checkResetAsksFirst(page);
    } finally {
      await browser.close();
    }
  });

  /** Reset on the dashboard asks for confirmation: Cancel keeps the day, Reset starts it again. */
  async function checkResetAsksFirst(page: Page): Promise<void> {
    const since = (await statistics()).since;
    await page.getByRole('button', { name: /reset/i }).click();
    const dialog = page.getByText('This empties today');
    await dialog.waitFor({ timeout: 5000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-reset-dialog.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await sleep(1500);
    assert.equal((await statistics()).since, since, 'cancelled: nothing reset');
    // Confirmed: the day starts again.
    const confirmedAt = Date.now();
    await page.getByRole('button', { name: /reset/i }).click();
    await dialog.waitFor({ timeout: 5000 });
    await page.locator('md-dialog').getByRole('button', { name: 'Reset' }).click();
    await waitFor(async () => (await statistics()).since >= confirmedAt - 1000, 10000, 'the confirmed reset');
  }

  it('keeps exactly one ffmpeg and the day’s heat across a full redeploy', async () => {
    const before = await statistics();
    const flows = await (
      await fetch(`${red.url}/admin/flows`, { headers: { 'Node-RED-API-Version': 'v2' } })
    ).json();
    const deployedAt = Date.now();
    const deploy = await fetch(`${red.url}/admin/flows`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Node-RED-API-Version': 'v2',
        'Node-RED-Deployment-Type': 'full',
      },
      body: JSON.stringify(flows),
    });
    assert.equal(deploy.status, 200);
    await sleep(1500);
    assert.equal(ffmpegProcessesWith(demoClip()).length, 1);
    const after = await statisticsAfter(deployedAt + 1000, 'numbers after the redeploy');
    assert.equal(after.since, before.since, 'the same day goes on');
    // At most the last second before the redeploy (the snapshot interval) may be missing.
    assert.ok(
      after.totalActivitySeconds >= before.totalActivitySeconds - 2 * Math.max(1, before.peopleInView),
      `${after.totalActivitySeconds} after, ${before.totalActivitySeconds} before`,
    );
    assert.ok(after.uniquePeople >= before.uniquePeople);
  });

  it('stops cleanly on SIGTERM, leaves no ffmpeg behind, and restores the day at the next start', async () => {
    await sleep(1500); // a snapshot of the latest second reaches the store
    const before = await statistics();
    const code = await red.stop();
    assert.equal(code, 0);
    await waitFor(() => ffmpegProcessesWith(demoClip()).length === 0, 5000, 'ffmpeg to be gone');
    const stoppedAt = Date.now();
    const savedDay = path.join(red.userDir, 'data', 'saved_heatmaps', dayFolder(stoppedAt));
    const lastSaved = JSON.parse(readFileSync(path.join(savedDay, 'heatmap_camera-1.json'), 'utf8')).savedAt;
    red = await NodeRedProcess.start({}, red.userDir);
    const after = await statisticsAfter(stoppedAt, 'numbers after the restart');
    // The store restored the day saved at the stop: that save is the last one, not "not yet".
    assert.ok((after.lastSavedAt ?? 0) >= lastSaved, `last save ${after.lastSavedAt}, on disk ${lastSaved}`);
    assert.equal(after.since, before.since);
    assert.ok(
      after.totalActivitySeconds >= before.totalActivitySeconds - 2 * Math.max(1, before.peopleInView),
      `${after.totalActivitySeconds} after, ${before.totalActivitySeconds} before`,
    );
    assert.ok(after.uniquePeople >= before.uniquePeople);
    assert.ok(after.cameraGapSeconds > 0, 'the time Node-RED was down is a camera gap');
  });
});
