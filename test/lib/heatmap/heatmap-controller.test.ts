import assert from 'node:assert/strict';
import type { BackgroundPicture } from '../../../nodes/lib/image/camera-backgrounds';
import type { HeatSnapshot, SnapshotReason } from '../../../nodes/lib/heatmap/heat-snapshot';
import { HeatmapController, type TrackedFrameMessage } from '../../../nodes/lib/heatmap/heatmap-controller';
import { parseHeatmapSettings, type HeatmapSettings } from '../../../nodes/lib/heatmap/heatmap-settings';
import { waitFor } from '../../../support/processes';
import { clipFrameJpeg } from '../../../support/video/clip-frame';

const ALL = { all: true } as const;

/** A controller whose outputs are recorded. */
function controller(fields: object = {}) {
  const settings = parseHeatmapSettings(fields) as HeatmapSettings;
  const sent = {
    snapshots: [] as Array<{ snapshots: HeatSnapshot[]; reason: SnapshotReason; request?: object }>,
    backgrounds: [] as BackgroundPicture[],
    overlays: [] as Array<{ cameraId: string; jpeg: Buffer; frame: unknown }>,
    logs: [] as string[],
    errors: [] as string[],
  };
  const heat = new HeatmapController(settings, {
    snapshots: (snapshots, reason, request) => sent.snapshots.push({ snapshots, reason, request }),
    background: (picture) => sent.backgrounds.push(picture),
    overlay: (cameraId, jpeg, frame) => sent.overlays.push({ cameraId, jpeg, frame }),
    log: (text) => sent.logs.push(text),
    warn: (text) => sent.logs.push(text),
    error: (text) => sent.errors.push(text),
  });
  return { heat, sent };
}

const T0 = Date.now();
const jpeg = clipFrameJpeg(300);
const frame = (i: number, detected = true): TrackedFrameMessage => ({
  payload: jpeg,
  frame: { capturedAt: T0 + i * 100, width: 768, height: 576 },
  tracks: [{ footPoint: [200, 300], box: [150, 100, 250, 300] }],
  ...(detected ? { detections: [{ box: [150, 100, 250, 300] }] } : { detectionSkipped: true }),
  counts: { unique: 1 },
});

describe("HeatmapController: the heatmap node's policy", () => {
  it("adds a frame's people to its camera and returns what the frame message carries", () => {
    const { heat } = controller({ overlayFps: 0, backgroundInterval: 0 });
    let out;
    for (let i = 0; i <= 10; i++) out = heat.frame(frame(i), 'door', T0 + i * 100);
    assert.equal(out!.heatmap.cameraId, 'door');
    assert.ok(Math.abs(out!.heatmap.statistics.totalActivitySeconds - 1) < 1e-3);
    assert.equal(out!.heatmap.gridCols, 96);
    assert.deepEqual(Object.keys(out!.store.cameras), ['door']);
    heat.close();
  });

  it('refuses a frame without its size', () => {
    const { heat } = controller();
    assert.throws(() => heat.frame({ tracks: [] }, 'door', T0), /msg.frame.width and height are missing/);
  });

  it('draws the overlay (with the frame) unless overlays are off', async () => {
    const on = controller({ backgroundInterval: 0 });
    on.heat.frame(frame(0), 'door', T0);
    await waitFor(() => on.sent.overlays.length === 1, 5000, 'an overlay');
    assert.equal(on.sent.overlays[0].cameraId, 'door');
    assert.deepEqual(on.sent.overlays[0].frame, frame(0).frame);
    const off = controller({ overlayFps: 0, backgroundInterval: 0 });
    off.heat.frame(frame(0), 'door', T0);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(off.sent.overlays.length, 0);
  });

  it('samples backgrounds from detected frames only and sends them with the changed heat at each tick', async () => {
    const { heat, sent } = controller({ overlayFps: 0, backgroundInterval: 0.001 });
    heat.frame(frame(0, false), 'door', T0);
    for (let i = 1; i <= 5; i++) {
      heat.frame(frame(i), 'door', T0 + i * 100);
      await new Promise((r) => setTimeout(r, 30)); // each decode lands before the next frame
    }
    heat.tick(T0 + 1000);
    assert.equal(sent.snapshots.length, 1);
    assert.equal(sent.snapshots[0].reason, 'periodic');
    assert.equal(sent.backgrounds.length, 1);
    assert.equal(sent.backgrounds[0].frames, 5, 'the frame the detector skipped is not sampled');
    heat.tick(T0 + 1100);
    assert.equal(sent.snapshots.length, 1, 'nothing changed: nothing sent');
  });

  it('saves with the asking message, resets with the emptied day, and says what the reset did', () => {
    const { heat, sent } = controller({ overlayFps: 0, backgroundInterval: 0 });
    heat.frame(frame(0), 'door', T0);
    heat.frame(frame(1), 'till', T0);
    const request = { topic: 'save', payload: undefined };
    assert.equal(heat.command('save', request, ALL, T0), null);
    assert.equal(sent.snapshots[0].reason, 'save');
    assert.equal(sent.snapshots[0].request, request);
    assert.equal(sent.snapshots[0].snapshots.length, 2);
    assert.equal(heat.command('reset', {}, { all: false, ids: ['door'] }, T0), 'reset door');
    assert.equal(sent.snapshots[1].reason, 'reset');
    assert.deepEqual(
      sent.snapshots[1].snapshots.map((s) => s.meta.cameraId),
      ['door'],
    );
    heat.command('snapshot', {}, ALL, T0);
    assert.equal(sent.snapshots[2].reason, 'periodic');
  });

  it('takes back a restored day and counts viewers only for cameras it draws', () => {
    const first = controller({ overlayFps: 0, backgroundInterval: 0 });
    for (let i = 0; i <= 10; i++) first.heat.frame(frame(i), 'door', T0 + i * 100);
    first.heat.command('save', {}, ALL, T0 + 1000);
    const saved = first.sent.snapshots[0].snapshots;
    const second = controller({ overlayFps: 0, backgroundInterval: 0 });
    second.heat.command('restore', { payload: saved }, ALL, T0 + 2000);
    second.heat.command('viewers', { payload: 0, feed: 'f' }, { all: false, ids: ['door'] }, T0);
    const out = second.heat.frame(frame(30), 'door', T0 + 3000);
    assert.ok(out.heatmap.statistics.totalActivitySeconds >= 1, 'the saved second is back');
    assert.match(second.sent.logs.join('\n'), /door: restored today's saved heat/);
    second.heat.command('restore', { payload: [{ meta: 'nonsense' }] }, ALL, T0 + 3000);
    assert.equal(second.sent.errors.length, 1);
  });
});
