import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { FlowNode, StoreBox, withSecondCamera } from '../faults/store-box';
import { demoClip, demoClipHalfSize } from '../../support/assets';
import { MjpegTestClient } from '../../support/video/mjpeg-client';
import { waitFor } from '../../support/processes';
import type { StoreStatisticsAnswer } from '../../support/node-red/statistics-answer';

/** The integrator's task: a second camera added to the running default flow, as the README says. */
describe("an integrator adds a camera to the running flow (admin API, the README's steps)", function () {
  this.timeout(150000);
  let box: StoreBox;
  before(async () => {
    box = await StoreBox.start({ cameraUrl: demoClip() });
    await box.waitForStatistics((s) => s.camera === 'camera-1' && s.uniquePeople > 0, 60000, 'camera-1');
    await box.deploy(withSecondCamera(await box.flows(), demoClipHalfSize()));
  });
  after(async () => {
    await box?.stop();
    await waitFor(() => box.ffmpegLeftBehind().length === 0, 5000, 'no ffmpeg left behind');
  });

  it('deploys the flow with one more rtsp-in, and each camera runs its own ffmpeg', async () => {
    const flow = (await box.flows()) as FlowNode[];
    assert.equal(flow.filter((n) => n.type === 'rtsp-in').length, 2);
    await waitFor(() => box.ffmpeg().length === 2, 15000, 'two ffmpeg');
  });

  it('shows the new camera on its own overlay feed and in /statistics beside camera-1', async () => {
    const s = (await box.waitForStatistics(
      (s) => ((s as unknown as StoreStatisticsAnswer).cameras?.['camera-2']?.uniquePeople ?? 0) > 0,
      60000,
      'camera-2 numbers',
    )) as unknown as StoreStatisticsAnswer;
    assert.deepEqual(Object.keys(s.cameras), ['camera-1', 'camera-2']);
    assert.equal(
      s.store.uniquePeople,
      s.cameras['camera-1'].uniquePeople + s.cameras['camera-2'].uniquePeople,
    );
    const feed = new MjpegTestClient(`${box.url}/overlay_feed/camera-2`);
    try {
      await waitFor(() => feed.frames.length >= 3, 15000, 'overlay frames of camera-2');
      assert.ok(
        feed.frames.every((f) => readJpegSize(f)?.width === 384),
        'only camera-2 frames (384 px wide)',
      );
    } finally {
      feed.close();
    }
  });

  it("writes the new camera's own saved day", async () => {
    const res = await fetch(`${box.url}/save_heatmap?camera=camera-2`, { method: 'POST' });
    assert.equal(res.status, 200);
    const { saved } = (await res.json()) as { saved: Array<{ cameraId: string; npy: string }> };
    assert.deepEqual(
      saved.map((f) => f.cameraId),
      ['camera-2'],
    );
    const day = path.join(box.savedHeatmaps, dayFolder(Date.now()));
    assert.ok(existsSync(path.join(day, 'heatmap_camera-2.npy')));
    // Named under the store's directory: the answer shows no path on the disk.
    assert.equal(saved[0].npy, path.join(dayFolder(Date.now()), 'heatmap_camera-2.npy'));
  });

  it('keeps every camera\'s day when only the edited heatmap is redeployed ("Modified nodes")', async () => {
    const before = (await box.statistics()) as unknown as StoreStatisticsAnswer;
    const flow = ((await box.flows()) as FlowNode[]).map((n) =>
      n.type === 'heatmap' ? { ...n, overlayFps: 4 } : n,
    );
    const res = await fetch(`${box.url}/admin/flows`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Node-RED-API-Version': 'v1',
        'Node-RED-Deployment-Type': 'nodes',
      },
      body: JSON.stringify(flow),
    });
    assert.ok(res.status === 200 || res.status === 204, `deploy answered ${res.status}`);
    const redeployedAt = Date.now();
    const after = (await box.waitForStatistics(
      (s) => {
        const c = (s as unknown as StoreStatisticsAnswer).cameras;
        return !!c && ['camera-1', 'camera-2'].every((id) => c[id]?.updatedAt > redeployedAt + 2000);
      },
      30000,
      'numbers of the new heatmap',
    )) as unknown as StoreStatisticsAnswer;
    for (const id of ['camera-1', 'camera-2']) {
      assert.equal(after.cameras[id].since, before.cameras[id].since, `${id} keeps its day`);
      assert.ok(
        after.cameras[id].totalActivitySeconds >= before.cameras[id].totalActivitySeconds,
        `${id}: ${after.cameras[id].totalActivitySeconds} after, ${before.cameras[id].totalActivitySeconds} before`,
      );
    }
  });
});
