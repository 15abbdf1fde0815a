import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { StoreBox } from '../faults/store-box';
import { demoClip, demoClipHalfSize, projectRoot } from '../../support/assets';
import { EditorBrowser, openEditor } from '../../support/node-red/editor';
import { MjpegTestClient } from '../../support/video/mjpeg-client';
import { sleep, waitFor } from '../../support/processes';
import type { StoreStatisticsAnswer } from '../../support/node-red/statistics-answer';

interface SaveAnswer {
  saved: Array<{ cameraId: string; json: string; npy: string }>;
  error?: string;
}

/**
 * Two cameras of different sizes (the clip at full and at half size) in one store, started the way
 * the README says (CAMERA_URLS), with the real model, ffmpeg and Node-RED.
 */
describe('two cameras of different sizes in one store (CAMERA_URLS)', function () {
  this.timeout(180000);
  let box: StoreBox;
  const env = () => ({ CAMERA_URLS: `door=${demoClip()} till=${demoClipHalfSize()}` });
  const both = (what: string, check: (s: StoreStatisticsAnswer) => boolean = () => true) =>
    box.waitForStatistics(
      (s) => {
        const c = (s as unknown as StoreStatisticsAnswer).cameras;
        return !!c?.door?.updatedAt && !!c?.till?.updatedAt && check(s as unknown as StoreStatisticsAnswer);
      },
      60000,
      what,
    ) as unknown as Promise<StoreStatisticsAnswer>;

  before(async () => {
    box = await StoreBox.start({ cameraUrl: '', env: env(), seedFromEnvironment: true });
  });
  after(async () => {
    await box?.stop();
    await waitFor(() => box.ffmpegLeftBehind().length === 0, 5000, 'no ffmpeg left behind');
  });

  it('builds one rtsp-in per camera from CAMERA_URLS, sharing one detector, tracker and heatmap', async () => {
    assert.match(box.logSince(), /Seeded .*flows\.json with 2 camera\(s\): door, till/);
    const flow = await box.flows();
    assert.deepEqual(
      flow.filter((n) => n.type === 'rtsp-in').map((n) => n.cameraId),
      ['door', 'till'],
    );
    assert.ok(
      flow.filter((n) => n.type === 'rtsp-in').every((n) => /^\$\{CAMERA_URL(_2)?\}$/.test(String(n.url))),
      'the URLs stay in the environment',
    );
    assert.equal(flow.filter((n) => n.type === 'heatmap').length, 1);
    await waitFor(() => box.ffmpeg().length === 2, 15000, 'two ffmpeg, one per camera');
  });

  it('gives each camera its own video and overlay feed: only its own frames', async () => {
    await both('frames of both cameras');
    const feeds = {
      '/overlay_feed/door': { width: 768, height: 576 },
      '/overlay_feed/till': { width: 384, height: 288 },
      '/video_feed/door': { width: 768, height: 576 },
      '/video_feed/till': { width: 384, height: 288 },
      '/overlay_feed': { width: 768, height: 576 }, // the bare path: the first camera
    };
    const clients = Object.keys(feeds).map((feed) => new MjpegTestClient(`${box.url}${feed}`));
    try {
      await waitFor(() => clients.every((c) => c.frames.length >= 6), 20000, 'frames on every feed');
      Object.values(feeds).forEach((size, i) => {
        const sizes = clients[i].frames.map((f) => readJpegSize(f));
        assert.ok(
          sizes.every((s) => s?.width === size.width && s?.height === size.height),
          `${Object.keys(feeds)[i]}: ${JSON.stringify(sizes.slice(0, 8))}`,
        );
      });
    } finally {
      clients.forEach((c) => c.close());
    }
  });

  it('answers /statistics per camera, with store totals that are their sums', async () => {
    const s = await both(
      'visitors on both cameras',
      (s) => s.cameras.door.uniquePeople > 0 && s.cameras.till.uniquePeople > 0,
    );
    const { door, till } = s.cameras;
    assert.equal(s.store.cameras, 2);
    assert.equal(s.store.uniquePeople, door.uniquePeople + till.uniquePeople);
    assert.equal(s.store.peopleInView, door.peopleInView + till.peopleInView);
    assert.ok(
      Math.abs(s.store.totalActivitySeconds - (door.totalActivitySeconds + till.totalActivitySeconds)) < 1e-6,
    );
    assert.match(door.cameraStatus, /^streaming/);
    assert.match(till.cameraStatus, /^streaming/);
    // The store page reads the same answer: a picker and the store's totals.
    const page = await (await fetch(`${box.url}/`)).text();
    assert.match(page, /id="camera"/);
  });

  it('shows both cameras on the dashboard: a picker, a row each, store totals (screenshots for the README)', async () => {
    await both(
      'visitors on both cameras',
      (s) => s.cameras.door.uniquePeople > 0 && s.cameras.till.uniquePeople > 0,
    );
    const artifacts = path.join(projectRoot, 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    const browser = await EditorBrowser.launch();
    try {
      const { page } = browser;
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${box.url}/ui/`);
      const video = page.locator('img[alt="live camera with heatmap"]');
      await waitFor(
        () => video.evaluate((img: HTMLImageElement) => img.naturalWidth === 768),
        20000,
        'door video',
      );
      await waitFor(
        async () => (await page.locator('td', { hasText: /^till$/ }).count()) > 0,
        10000,
        'a row for till',
      );
      // Picking the other camera switches the video to its own feed.
      await page.locator('#sa-camera-pick').selectOption('till');
      await waitFor(
        () => video.evaluate((img: HTMLImageElement) => img.naturalWidth === 384),
        20000,
        'till video',
      );
      await page.locator('#sa-camera-pick').selectOption('');
      await waitFor(
        () => video.evaluate((img: HTMLImageElement) => img.naturalWidth === 768),
        20000,
        'door again',
      );
      await sleep(11000); // a point per camera on the chart
      await page.screenshot({ path: path.join(artifacts, 'dashboard-two-cameras.png') });
      // The flow as the editor draws it.
      await openEditor(page, `${box.url}/admin/`);
      await page.setViewportSize({ width: 1920, height: 1000 });
      // The whole flow at once: the editor's own zoom-out button, four times.
      for (let i = 0; i < 4; i++) await page.locator('#red-ui-view-zoom-out').click();
      await page.mouse.move(5, 5); // no tooltip in the picture
      await sleep(500);
      await page.locator('#red-ui-workspace-chart').screenshot({ path: path.join(artifacts, 'flow.png') });
    } finally {
      await browser.close();
    }
  });

  it('resets one camera and leaves the other untouched, answering once', async () => {
    const before = await both('numbers before the reset');
    const resetAt = Date.now();
    const res = await fetch(`${box.url}/reset_heatmap?camera=till`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).cameras, ['till']);
    const after = await both('numbers after the reset', (s) => s.cameras.till.since >= resetAt - 1000);
    assert.equal(after.cameras.door.since, before.cameras.door.since, 'door keeps its day');
    assert.ok(after.cameras.door.totalActivitySeconds >= before.cameras.door.totalActivitySeconds);
    assert.ok(after.cameras.till.totalActivitySeconds < before.cameras.till.totalActivitySeconds);
    const unknown = await fetch(`${box.url}/reset_heatmap?camera=attic`, { method: 'POST' });
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error, /no camera attic \(cameras: door, till\)/);
  });

  it('saves each camera, and after SIGKILL and a restart each gets back its own day', async () => {
    await both('activity on both', (s) => s.cameras.till.totalActivitySeconds > 1);
    const res = await fetch(`${box.url}/save_heatmap`, { method: 'POST' });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as SaveAnswer;
    assert.deepEqual(answer.saved.map((f) => f.cameraId).sort(), ['door', 'till']);
    const meta = (id: string) =>
      JSON.parse(
        readFileSync(path.join(box.savedHeatmaps, dayFolder(Date.now()), `heatmap_${id}.json`), 'utf8'),
      ) as { sourceWidth: number; startedAt: number; statistics: { totalActivitySeconds: number } };
    const saved = { door: meta('door'), till: meta('till') };
    assert.equal(saved.door.sourceWidth, 768);
    assert.equal(saved.till.sourceWidth, 384);
    // A save of one camera writes that camera only.
    const one = (await (
      await fetch(`${box.url}/save_heatmap?camera=door`, { method: 'POST' })
    ).json()) as SaveAnswer;
    assert.deepEqual(
      one.saved.map((f) => f.cameraId),
      ['door'],
    );
    assert.doesNotMatch(box.logSince(), /ERR_HTTP_HEADERS_SENT|headers after they are sent/);

    const userDir = box.userDir;
    await box.kill();
    const killedAt = Date.now();
    await waitFor(() => box.ffmpegLeftBehind().length === 0, 10000, 'the killed box’s ffmpeg to die');
    box = await StoreBox.start({ cameraUrl: '', env: env(), userDir });
    const after = await both('both cameras after the restart', (s) =>
      ['door', 'till'].every((id) => s.cameras[id].updatedAt > killedAt && s.cameras[id].since < killedAt),
    );
    for (const id of ['door', 'till'] as const) {
      const c = after.cameras[id];
      assert.equal(c.since, saved[id].startedAt, `${id} continues its own day`);
      assert.ok(
        c.totalActivitySeconds >= saved[id].statistics.totalActivitySeconds - 1e-3,
        `${id} keeps its heat`,
      );
      assert.ok(c.cameraGapSeconds > 0, `${id}: the time Node-RED was down is a camera gap`);
    }
    // Nothing crossed: the small camera did not take the big one's heat (nor the other way round).
    const grown = after.cameras.till.totalActivitySeconds - saved.till.statistics.totalActivitySeconds;
    assert.ok(grown < saved.door.statistics.totalActivitySeconds / 2, `till grew by ${grown} s`);
    await sleep(100);
    assert.equal(box.errorsSince().length, 0, box.errorsSince().join('\n'));
  });
});
