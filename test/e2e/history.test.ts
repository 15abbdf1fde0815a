import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { HistoryDb } from '../../nodes/lib/history/history-db';
import { heatOfPeriod } from '../../nodes/lib/history/history-heat';
import type { HistoryAnswer } from '../../nodes/lib/history/history-query';
import { YoloDetector } from '../../nodes/lib/yolo/detector';
import sharp from '../../nodes/lib/image/sharp';
import { decodeNpy } from '../../nodes/lib/storage/npy';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { localDate, MINUTE_MS, parseLocalDate } from '../../nodes/lib/time/local-time';
import { demoClip, projectRoot, testTmp } from '../../support/assets';
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/node-red/editor';
import { writeDefaultFlowWith } from '../../support/node-red/flows';
import { NodeRedProcess } from '../../support/node-red/node-red-process';
import { ffmpegProcessesWith, sleep, waitFor } from '../../support/processes';

const ARTIFACTS = path.join(projectRoot, 'test-artifacts');

/** /statistics of a one-camera flow: the camera's numbers at the top level. */
interface Statistics {
  uniquePeople: number;
  totalActivitySeconds: number;
  footfall?: { in: number; out: number };
}

/** Sums a column of CSV text read by Python's csv module (Debian's python3), as a spreadsheet would. */
function pythonCsvSums(csv: string, columns: string[]): { rows: number; sums: Record<string, number> } {
  const script = `
import csv, json, sys
rows = list(csv.DictReader(sys.stdin))
cols = json.loads(sys.argv[1])
print(json.dumps({"rows": len(rows), "sums": {c: sum(float(r[c]) for r in rows if r[c] != "") for c in cols}}))
`;
  return JSON.parse(
    execFileSync('python3', ['-c', script, JSON.stringify(columns)], { input: csv, encoding: 'utf8' }),
  );
}

describe('history in a real Node-RED on the clip (the default flow with examples 03 and 04)', function () {
  this.timeout(420000);
  let red: NodeRedProcess;
  let userDir: string;
  const get = async (p: string) => fetch(`${red.url}${p}`);
  const history = async (q: string) => (await (await get(`/history?${q}`)).json()) as HistoryAnswer;
  const present = (a: HistoryAnswer) => a.rows.filter((r) => r.peopleMean !== null);

  before(async () => {
    mkdirSync(testTmp, { recursive: true });
    userDir = mkdtempSync(path.join(testTmp, 'node-red-history-'));
    // Examples 03 (footfall) and 04 (the nightly CSV) imported into the default flow, as in the editor.
    writeDefaultFlowWith(
      userDir,
      'examples/03 counting and zones.json',
      'examples/04 history and reports.json',
    );
    red = await NodeRedProcess.start({}, userDir);
  });
  after(async () => {
    await red?.stop();
    await waitFor(() => ffmpegProcessesWith(demoClip()).length === 0, 10000, 'no ffmpeg left behind');
  });

  it('refuses a bad query with 400 and the reason', async () => {
    const bad = await get('/history?step=week');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /step must be minute, hour or day/);
    const date = await get('/history.csv?from=2026-02-30');
    assert.equal(date.status, 400);
    assert.match(await date.text(), /from must be a date/);
  });

  it('gives /history.csv whose day totals (read by Python csv) equal /statistics within one minute', async () => {
    await waitFor(
      async () => present(await history('step=minute')).filter((r) => (r.footfallIn ?? 0) > 0).length >= 1,
      200000,
      'a minute with footfall in /history',
    );
    const csvAnswer = await get('/history.csv?step=hour');
    assert.equal(csvAnswer.status, 200);
    assert.match(csvAnswer.headers.get('content-type') ?? '', /text\/csv/);
    const csv = await csvAnswer.text();
    const statistics = (await (await get('/statistics?format=json')).json()) as Statistics;
    const { rows, sums } = pythonCsvSums(csv, [
      'visitors',
      'footfall_in',
      'activity_seconds',
      'covered_seconds',
    ]);
    assert.ok(rows >= 1);
    const camera = statistics;
    // One minute's share: what the day holds per minute of it, rounded up (the minute not yet written).
    const share = (total: number) => Math.ceil((total / sums.covered_seconds) * 60) + 1;
    const close = (name: string, csvTotal: number, total: number) =>
      assert.ok(
        csvTotal <= total + 1e-6 && total - csvTotal <= share(total),
        `${name}: CSV ${csvTotal}, /statistics ${total}`,
      );
    close('visitors', sums.visitors, camera.uniquePeople);
    close('activity', sums.activity_seconds, camera.totalActivitySeconds);
    close('footfall in', sums.footfall_in, statistics.footfall!.in);
  });

  it('shows the History tab: hours against last week, 30 days, busiest hours, dwell, the heat and its difference, the export', async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // The report comes once a minute; press its inject (as in the editor) for one with today's rows.
      const pressed = await fetch(`${red.url}/admin/inject/sa-ui-history-tick`, { method: 'POST' });
      assert.equal(pressed.status, 200);
      // The dashboard's second tab (the Store tab is the first).
      await page.goto(`${red.url}/ui/#!/1`);
      const card = (title: string) => page.locator('md-card', { hasText: title });
      for (const title of [
        'Came in per hour',
        'Visitors per hour',
        'Day totals, last 30 days',
        'Mean dwell per zone',
      ])
        await waitFor(() => card(title).locator('canvas').count(), 20000, `the chart "${title}"`);
      // The busiest hours: the hours of today (the only day with data), each with its visitors.
      await waitFor(
        () => page.locator('tr', { hasText: /^\s*\d{2}:00-\d{2}:00/ }).count(),
        70000,
        'a row in the busiest hours',
      );
      const image = page.locator('#sa-heat-image');
      const loaded = async () =>
        image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.src);
      const plain = await waitFor(loaded, 20000, 'the heat of today');
      assert.match(String(plain), /heatmap\.png\?camera=camera-1&date=\d{4}-\d{2}-\d{2}&hour=0-23/);
      const href = await page.locator('#sa-history-export').getAttribute('href');
      const exported = await get(
        new URL(href!, `${red.url}/ui/`).pathname + new URL(href!, `${red.url}/ui/`).search,
      );
      assert.equal(exported.status, 200);
      assert.match(await exported.text(), /^time,camera,/);
      await page.waitForTimeout(2000); // the charts' animation
      await page.screenshot({ path: path.join(ARTIFACTS, 'history-tab.png'), fullPage: true });
      // The difference to another day: a new picture (red more, blue fewer people).
      await page.locator('#sa-heat-compare').fill(localDate(Date.now() - 7 * 86_400_000));
      const compared = await waitFor(
        async () => {
          const src = await loaded();
          return src && /&compare=/.test(String(src)) ? src : null;
        },
        20000,
        'the difference picture',
      );
      assert.notEqual(compared, plain);
      await page.getByText('Red: more people than on').waitFor({ timeout: 5000 });
      await page.locator('.sa-history-heat').screenshot({
        path: path.join(ARTIFACTS, 'history-heat-compare.png'),
      });
      assert.deepEqual(errors, [], 'errors in the dashboard page');
    } finally {
      await browser.close();
    }
  });

  it("writes a day's CSV to data/exports from the export group's button", async () => {
    const pressed = await fetch(`${red.url}/admin/inject/sa-export-now`, { method: 'POST' });
    assert.equal(pressed.status, 200);
    const file = path.join(userDir, 'data', 'exports', `history-${localDate(Date.now())}.csv`);
    await waitFor(() => existsSync(file), 10000, file);
    const { rows, sums } = pythonCsvSums(readFileSync(file, 'utf8'), ['visitors', 'covered_seconds']);
    assert.ok(rows >= 1 && sums.covered_seconds > 0, `${rows} rows, ${JSON.stringify(sums)}`);
  });

  it("redraws the day's heat from the database equal to the day's NumPy file (float32)", async () => {
    const png = await get(`/heatmap.png?camera=camera-1&date=${localDate(Date.now())}`);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const diff = await get(`/heatmap.png?camera=camera-1&compare=${localDate(Date.now() - 86_400_000)}`);
    assert.equal(diff.status, 200);
    // A clean stop writes both: the day file and the history's last hour.
    await red.stop();
    await waitFor(() => ffmpegProcessesWith(demoClip()).length === 0, 10000, 'no ffmpeg left behind');
    const today = parseLocalDate(localDate(Date.now()))!;
    const npy = decodeNpy(
      readFileSync(
        path.join(userDir, 'data', 'saved_heatmaps', dayFolder(Date.now()), 'heatmap_camera-1.npy'),
      ),
    );
    const db = new HistoryDb(path.join(userDir, 'data', 'history.db'));
    try {
      const grid = heatOfPeriod(db, 'camera-1', today, today + 86_400_000)!;
      assert.ok(grid, 'hour grids of today');
      assert.equal(grid.cells.length, npy.data.length);
      let max = 0;
      let worst = 0;
      for (let i = 0; i < grid.cells.length; i++) {
        max = Math.max(max, npy.data[i]);
        worst = Math.max(worst, Math.abs(grid.cells[i] - npy.data[i]));
      }
      assert.ok(max > 0, 'the day has heat');
      assert.ok(worst <= max * 1e-5, `largest difference ${worst} of ${max}`);
    } finally {
      db.close();
    }
  });
  it('keeps the minutes written before a SIGKILL intact, and shows the downtime as missing minutes', async () => {
    // The clean stop above wrote every minute so far, its last one in part. Restart in the next
    // minute, so that the minute of the kill holds only what the killed run saw.
    await sleep(MINUTE_MS - (Date.now() % MINUTE_MS) + 1000);
    red = await NodeRedProcess.start({}, userDir);
    assert.doesNotMatch(red.output, /stopped without closing history/, 'the clean stop closed history');
    const beforeKill = await history('step=minute');
    assert.ok(present(beforeKill).length >= 1, 'the minutes of the first run');
    await sleep(10000); // frames of this run, in the minute of the kill, not yet written
    const killedAt = Date.now();
    // A power cut: the launcher and the runtime (the runtime alone would be restarted by the launcher).
    await red.powerCut();
    await waitFor(() => ffmpegProcessesWith(demoClip()).length === 0, 10000, 'ffmpeg to die with its pipe');
    // Down past the next minute's start: the minute of the kill is lost, and reads as missing.
    await sleep(Math.max(0, MINUTE_MS - (killedAt % MINUTE_MS)) + 2000);
    red = await NodeRedProcess.start({}, userDir);
    await waitFor(
      () => /stopped without closing history/.test(red.output),
      10000,
      'the warning of the lost minute',
    );
    const after = await history('step=minute');
    for (const row of present(beforeKill)) {
      const again = after.rows.find((r) => r.time === row.time);
      assert.ok(again, `${row.time} still there`);
      assert.deepEqual(again, row, row.time);
    }
    const killMinute = Math.floor(killedAt / MINUTE_MS) * MINUTE_MS;
    const lost = after.rows.find((r) => Date.parse(r.time) === killMinute);
    assert.ok(lost, 'the minute of the kill has a row');
    assert.equal(lost.peopleMean, null, 'missing, not zero');
    assert.equal(lost.visitors, null);
    assert.equal(lost.gapSeconds, 60);
  });

  it('keeps a person-free background of the camera: the real model finds nobody in it', async () => {
    const file = path.join(userDir, 'data', 'history.db');
    const stored = await waitFor(
      () => {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          return (
            (db
              .prepare(
                `SELECT b.width, b.height, b.frames, b.pixels FROM backgrounds b
                   JOIN names n ON n.id = b.camera WHERE n.kind = 'camera' AND n.name = 'camera-1'
                   AND b.frames >= 5`,
              )
              .get() as { width: number; height: number; frames: number; pixels: Buffer } | undefined) ?? null
          );
        } finally {
          db.close();
        }
      },
      90000,
      'a background of 4 samples in the history',
    );
    assert.equal(stored.width, 320);
    assert.equal(stored.pixels.length, stored.width * stored.height * 3);
    const detector = await YoloDetector.load(path.join(projectRoot, 'models', 'yolov8n.onnx'), {
      threads: 1,
      executionProvider: 'cpu',
    });
    const people = async (jpeg: Buffer) =>
      (await detector.detect(jpeg, { scoreThreshold: 0.25, iouThreshold: 0.45, classes: [0] })).detections;
    try {
      const background = await sharp(stored.pixels, {
        raw: { width: stored.width, height: stored.height, channels: 3 },
      })
        .resize(768, 576)
        .jpeg()
        .toBuffer();
      // The same model on a frame of the clip finds its people: the test can fail.
      const frame = execFileSync(
        'ffmpeg',
        [
          '-v',
          'error',
          '-ss',
          '3',
          '-i',
          demoClip(),
          '-frames:v',
          '1',
          '-c:v',
          'mjpeg',
          '-f',
          'image2pipe',
          '-',
        ],
        { maxBuffer: 16 << 20 },
      );
      assert.ok((await people(frame)).length >= 3, 'people in a frame of the clip');
      assert.deepEqual(await people(background), [], 'nobody in the background');
    } finally {
      await detector.release();
    }
  });
});
