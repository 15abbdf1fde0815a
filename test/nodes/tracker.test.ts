import assert from 'node:assert/strict';
import { demoClipWithPillar } from '../../support/assets';
import { getNode, helper, loadFlow, loggedErrors } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';
import { NODES, pipeline, type Out } from './flows/detect-track-flow';

/** tracker after rtsp-in and yolo-detect on the clip (test/nodes/flows/detect-track-flow.ts). */
describe('tracker node in rtsp-in -> yolo-detect -> tracker on the clip', function () {
  this.timeout(90000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it('at most every 4th frame to the model, identities hold across a 2 s occlusion (a pillar over the clip)', async function () {
    this.timeout(120000);
    // People crossing behind the pillar on the first 30 s: where their feet were on the last frame
    // before it and on the first frame after it (x, y in pixels), from tracking the clip without the
    // pillar with a detection on every frame. Each pair is one person, hidden for 2-3 s.
    const crossings: Array<[number, [number, number], number, [number, number]]> = [
      [103, [374, 276], 126, [567, 300]],
      [137, [576, 277], 161, [368, 246]],
      [156, [562, 309], 182, [373, 293]],
      [189, [564, 210], 222, [376, 240]],
      [225, [569, 402], 256, [367, 315]],
      [251, [562, 265], 280, [377, 232]],
      [258, [569, 343], 290, [375, 309]],
    ];
    await loadFlow(NODES, pipeline({ detectEvery: 4, url: demoClipWithPillar(), loop: false }));
    const out: Array<Out & { detectionSkipped?: boolean }> = [];
    getNode('out').on('input', ((msg: Out) => out.push(msg)) as never);
    await waitFor(() => out.length >= 300, 100000, 'the 300 frames of the clip');
    // Every frame went on, in order; the model saw at most every 4th.
    assert.deepEqual(
      out.map((m) => m.frame.seq),
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    const detected = out.filter((m) => !m.detectionSkipped).map((m) => m.frame.seq);
    assert.ok(detected.length <= 75 && detected.length >= 50, `${detected.length} frames detected`);
    assert.ok(detected.every((seq, i) => i === 0 || seq - detected[i - 1] >= 4));
    const idAt = (seq: number, [x, y]: [number, number]) => {
      const near = out[seq - 1].tracks
        .map((t) => ({ id: t.id, d: Math.hypot(t.footPoint[0] - x, t.footPoint[1] - y) }))
        .filter((t) => t.d < 40)
        .sort((a, b) => a.d - b.d);
      return near[0]?.id ?? null;
    };
    const pairs = crossings.map(([before, at, after, to]) => [idAt(before, at), idAt(after, to)]);
    const held = pairs.filter(([a, b]) => a !== null && a === b).length;
    console.log(
      `      identities held behind the pillar: ${held} of ${pairs.length}, ${detected.length} frames detected`,
    );
    // Measured offline (npm run track on the same clip): 6 of 7 at every 4th frame (4 of 7 at every frame).
    assert.ok(held >= 5, `identities held across the pillar: ${JSON.stringify(pairs)}`);
    assert.deepEqual(loggedErrors(), []);
  });

  it('answers bad input with an error: no detections for the tracker', async () => {
    await loadFlow(NODES, pipeline({ autoStart: false }));
    getNode('track').receive({ payload: 'hello' });
    await waitFor(() => loggedErrors().length >= 1, 10000, 'an error');
    const errors = loggedErrors().join('\n');
    assert.match(errors, /msg.detections is missing/);
  });
});
