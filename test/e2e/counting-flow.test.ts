import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { demoClip, projectRoot, testTmp } from '../../support/assets';
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/node-red/editor';
import { NodeRedProcess } from '../../support/node-red/node-red-process';
import { writeDefaultFlowWith } from '../../support/node-red/flows';
import { ffmpegProcessesWith, waitFor } from '../../support/processes';

const ARTIFACTS = path.join(projectRoot, 'test-artifacts');

interface Counted {
  footfall?: {
    in: number;
    out: number;
    occupancy: number;
    lines: Record<string, { in: number; out: number }>;
    hourly: { in: number[] };
  };
  zones?: Record<
    string,
    { occupancy: number; visits: number; medianDwellSeconds: number | null; queue?: { length: number } }
  >;
  updatedAt?: number;
}

describe('the default flow with example 03 (counting and zones) in a real Node-RED on the clip', function () {
  this.timeout(240000);
  let red: NodeRedProcess;
  const statistics = async () => (await (await fetch(`${red.url}/statistics?format=json`)).json()) as Counted;

  before(async () => {
    mkdirSync(testTmp, { recursive: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const userDir = mkdtempSync(path.join(testTmp, 'node-red-counting-'));
    // Example 03 imported into the default flow (as Import > Examples does in the editor).
    writeDefaultFlowWith(userDir, 'examples/03 counting and zones.json');
    red = await NodeRedProcess.start({}, userDir);
  });
  after(async () => {
    await red?.stop();
    assert.deepEqual(ffmpegProcessesWith(demoClip()), [], 'no ffmpeg left behind');
  });

  it('counts footfall at both lines and visits in both zones, in /statistics and on disk', async () => {
    const s = await waitFor(
      async () => {
        const s = await statistics();
        const f = s.footfall;
        return f && f.in + f.out >= 3 && s.zones && Object.values(s.zones).every((z) => z.visits >= 1)
          ? s
          : null;
      },
      150000,
      '3 crossings and a visit in each zone',
    );
    assert.deepEqual(Object.keys(s.footfall!.lines).sort(), ['middle', 'road']);
    const sumLines = Object.values(s.footfall!.lines).reduce((n, l) => n + l.in, 0);
    assert.equal(sumLines, s.footfall!.in);
    assert.equal(
      s.footfall!.hourly.in.reduce((a, b) => a + b, 0),
      s.footfall!.in,
    );
    assert.deepEqual(Object.keys(s.zones!).sort(), ['centre', 'left']);
    assert.ok(s.zones!.centre.queue, 'centre is a queue');
    const day = readdirSync(path.join(red.userDir, 'data', 'counts'));
    assert.equal(day.length, 1);
    const files = readdirSync(path.join(red.userDir, 'data', 'counts', day[0]));
    assert.ok(
      files.some((f) => /^camera-1\.footfall\./.test(f)),
      files.join(', '),
    );
  });

  it('shows footfall, zones and the per-hour chart on the store page and the dashboard', async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.goto(`${red.url}/`);
      await page.waitForFunction(() => !document.getElementById('footfall')!.hidden, undefined, {
        timeout: 20000,
      });
      await page.waitForFunction(
        () => Number(document.getElementById('footfallIn')!.textContent) >= 0,
        undefined,
        {
          timeout: 10000,
        },
      );
      assert.equal(await page.locator('#zoneRows tr').count(), 2);
      await page.screenshot({ path: path.join(ARTIFACTS, 'store-page-counting.png') });

      await page.goto(`${red.url}/ui/`);
      const number = (label: string) => async () => {
        const text = (await page.locator('md-card', { hasText: label }).first().innerText())
          .replace(label, '')
          .trim();
        return /^\d+$/.test(text) ? Number(text) : null;
      };
      await waitFor(
        async () => (await number('Came in today')()) !== null,
        20000,
        'footfall on the dashboard',
      );
      await waitFor(async () => (await number('Inside now')()) !== null, 5000, 'occupancy on the dashboard');
      await waitFor(() => page.getByText('Stay: median today').count(), 5000, 'the zone table');
      await waitFor(() => page.locator('td', { hasText: /^centre$/ }).count(), 5000, 'the centre zone row');
      await waitFor(() => page.getByText('Footfall per hour today').count(), 5000, 'the chart');
      // The chart draws bars once its first data came (every 10 s).
      await waitFor(
        () => page.locator('md-card', { hasText: 'Footfall per hour today' }).locator('canvas').count(),
        20000,
        'the chart canvas',
      );
      const s = await statistics();
      const shown = await number('Came in today')();
      assert.ok(
        shown !== null && Math.abs(shown - s.footfall!.in) <= 2,
        `dashboard ${shown}, statistics ${s.footfall!.in}`,
      );
      await new Promise((r) => setTimeout(r, 11000));
      await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-counting.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('empties the counts with the store reset', async () => {
    const resetAt = Date.now();
    const r = await fetch(`${red.url}/reset_heatmap`, { method: 'POST' });
    assert.equal(r.status, 200);
    const s = await waitFor(
      async () => {
        const s = await statistics();
        return (s.updatedAt ?? 0) > resetAt + 1500 ? s : null;
      },
      20000,
      'numbers after the reset',
    );
    assert.ok(s.footfall!.in + s.footfall!.out <= 1, `${s.footfall!.in} in, ${s.footfall!.out} out`);
    assert.ok(Object.values(s.zones!).every((z) => z.visits <= 1));
  });
});
