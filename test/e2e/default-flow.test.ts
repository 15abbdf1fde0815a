import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { demoClip, testTmp } from '../support/assets';
import { MjpegTestClient } from '../support/mjpeg-client';
import { NodeRedProcess } from '../support/node-red-process';
import { ffmpegProcessesWith, sleep, waitFor } from '../support/processes';

const CHROMIUM = '/usr/bin/chromium';

describe('the default flow in a real Node-RED runtime (npm start)', function () {
  this.timeout(120000);
  let red: NodeRedProcess;

  before(async () => {
    red = await NodeRedProcess.start();
  });
  after(async () => {
    await red?.stop();
  });

  it('plays the demo clip when no camera is configured', async () => {
    assert.match(red.output, /CAMERA_URL is not set: playing the demo clip/);
    await waitFor(() => ffmpegProcessesWith(demoClip()).length === 1, 10000, 'ffmpeg to play the clip');
  });

  it('serves the store page at / and the editor at /admin', async () => {
    const page = await fetch(`${red.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<img src="video_feed"/);
    const editor = await fetch(`${red.url}/admin/`);
    assert.equal(editor.status, 200);
    assert.match(await editor.text(), /Node-RED/);
  });

  it('lists every node and the example flow', async () => {
    const nodes = (await (
      await fetch(`${red.url}/admin/nodes`, { headers: { Accept: 'application/json' } })
    ).json()) as Array<{
      module: string;
      types: string[];
      enabled: boolean;
      err?: string;
    }>;
    const ours = nodes.filter((n) => n.module === 'node-red-contrib-store-analytics');
    assert.deepEqual(ours.flatMap((n) => n.types).sort(), [
      'heatmap',
      'mjpeg-out',
      'rtsp-in',
      'tracker',
      'yolo-detect',
      'yolo-model',
    ]);
    assert.ok(ours.every((n) => n.enabled && !n.err));
    const html = await (await fetch(`${red.url}/admin/nodes`, { headers: { Accept: 'text/html' } })).text();
    assert.match(html, /data-template-name="rtsp-in"/);
    assert.match(html, /data-help-name="mjpeg-out"/);
    const examples = await (
      await fetch(`${red.url}/admin/library/examples/flows/node-red-contrib-store-analytics`)
    ).json();
    assert.match(JSON.stringify(examples), /01 camera to browser/);
  });

  it('streams the clip as MJPEG at /video_feed', async () => {
    const client = new MjpegTestClient(`${red.url}/video_feed`);
    try {
      await client.connected;
      await waitFor(() => client.frames.length >= 10, 15000, '10 frames');
      for (const frame of client.frames) assert.deepEqual(readJpegSize(frame), { width: 768, height: 576 });
    } finally {
      client.close();
    }
  });

  it('shows the live video in a real browser', async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: apt-get install chromium (the README's install does)`,
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
      await page.goto(`${red.url}/`);
      await page.waitForFunction(() => document.querySelector('img')!.naturalWidth === 768, undefined, {
        timeout: 15000,
      });
      // The picture keeps changing: it is live video, not a still.
      const shot1 = await page.locator('img').screenshot();
      await sleep(1000);
      const shot2 = await page.locator('img').screenshot({ path: path.join(testTmp, 'store-page.png') });
      assert.ok(!shot1.equals(shot2), 'the video moves');
    } finally {
      await browser.close();
    }
  });

  it('keeps exactly one ffmpeg across a full redeploy', async () => {
    const flows = await (
      await fetch(`${red.url}/admin/flows`, { headers: { 'Node-RED-API-Version': 'v2' } })
    ).json();
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
  });

  it('stops cleanly on SIGTERM and leaves no ffmpeg behind', async () => {
    const code = await red.stop();
    assert.equal(code, 0);
    await waitFor(() => ffmpegProcessesWith(demoClip()).length === 0, 5000, 'ffmpeg to be gone');
  });
});
