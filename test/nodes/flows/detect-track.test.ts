import assert from 'node:assert/strict';
import path from 'node:path';
import rtspInNode from '../../../nodes/rtsp-in/rtsp-in';
import trackerNode from '../../../nodes/tracker/tracker';
import type { TracksMessage } from '../../../nodes/tracker/tracker-types';
import yoloDetectNode from '../../../nodes/yolo-detect/yolo-detect';
import type { DetectionsMessage } from '../../../nodes/yolo-detect/yolo-detect-types';
import yoloModelNode from '../../../nodes/yolo-model/yolo-model';
import type { FrameMessage } from '../../../nodes/rtsp-in/rtsp-in-types';
import { demoClip, demoClipWithPillar, testTmp } from '../../../support/assets';
import { getNode, helper, loadFlow, loggedErrors } from '../../../support/node-red/test-helper';
import { waitFor } from '../../../support/processes';

const NODES = [rtspInNode, yoloModelNode, yoloDetectNode, trackerNode];

function pipeline(
  extra: {
    modelPath?: string;
    autoStart?: boolean;
    detectEvery?: number;
    sessions?: number;
    url?: string;
    loop?: boolean;
  } = {},
) {
  return [
    {
      id: 'model',
      type: 'yolo-model',
      modelPath: extra.modelPath ?? '',
      // The shipped flow's settings: 1 thread, parallel sessions auto (one per core).
      threads: 1,
      sessions: extra.sessions ?? 0,
      executionProvider: 'cpu',
    },
    {
      id: 'cam',
      type: 'rtsp-in',
      url: extra.url ?? demoClip(),
      cameraId: 'plaza',
      loop: extra.loop ?? true,
      realtime: true,
      autoStart: extra.autoStart ?? true,
      wires: [['detect']],
    },
    {
      id: 'detect',
      type: 'yolo-detect',
      model: 'model',
      classes: 'person',
      scoreThreshold: 0.5,
      iouThreshold: 0.7,
      detectEvery: extra.detectEvery ?? 1,
      wires: [['track']],
    },
    { id: 'track', type: 'tracker', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ];
}

type Out = FrameMessage & DetectionsMessage & TracksMessage;

describe('rtsp-in -> yolo-detect -> tracker in a Node-RED runtime on the clip', function () {
  this.timeout(90000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it('detects and tracks the people walking across the plaza', async () => {
    await loadFlow(NODES, pipeline());
    const out: Out[] = [];
    getNode('out').on('input', ((msg: Out) => out.push(msg)) as never);
    await waitFor(() => out.filter((m) => m.detections).length >= 30, 60000, '30 detected frames');
    // Every frame goes on to the tracker (those the model had no time for are predicted), in order.
    const seqs = out.map((m) => m.frame.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => seqs[0] + i),
      'every frame, in camera order',
    );
    const last = out.filter((m) => m.detections).pop()!;
    // The message keeps what rtsp-in put on it and gains detections, tracks and counts.
    assert.equal(last.frame.sourceId, 'plaza');
    assert.ok(Buffer.isBuffer(last.payload));
    assert.ok(last.detections.length >= 2, `${last.detections.length} people detected`);
    for (const d of last.detections) {
      assert.equal(d.label, 'person');
      assert.ok(d.box[2] <= 768 && d.box[3] <= 576 && d.score >= 0.5);
    }
    assert.ok(last.tracks.length >= 2, `${last.tracks.length} people tracked`);
    for (const t of last.tracks) {
      assert.ok(t.id >= 1 && t.state === 'tracked' && t.ageMs >= 0);
      assert.deepEqual(t.footPoint, [(t.box[0] + t.box[2]) / 2, t.box[3]]);
    }
    assert.equal(last.counts.inView, last.tracks.length);
    assert.ok(last.counts.unique >= last.counts.inView);
    assert.ok(last.detector.inferenceMs > 0);
    // The camera's figures ride on every message.
    const stats = out[out.length - 1].detectionStats;
    assert.equal(stats.detected + stats.droppedByLoad + stats.skippedByMotion <= out.length + 2, true);
    assert.ok(stats.detected >= 30);
    assert.deepEqual(loggedErrors(), []);
  });

  it('detects every 3rd frame when asked, and the tracker moves the tracks on the frames between', async () => {
    await loadFlow(NODES, pipeline({ detectEvery: 3 }));
    const out: Array<Out & { detectionSkipped?: boolean }> = [];
    getNode('out').on('input', ((msg: Out) => out.push(msg)) as never);
    await waitFor(() => out.length >= 45, 60000, '45 frames');
    const skipped = out.filter((m) => m.detectionSkipped);
    const detected = out.filter((m) => !m.detectionSkipped);
    assert.ok(
      skipped.length >= 2 * detected.length - 3,
      `${skipped.length} passed over, ${detected.length} detected`,
    );
    for (const m of skipped) assert.equal(m.detections, undefined);
    assert.ok(skipped.some((m) => (m as { skippedBecause?: string }).skippedBecause === 'interval'));
    // Between detections the same people are shown, moved by prediction.
    const later = skipped.filter((m) => m.frame.seq > 20);
    assert.ok(later.length > 0 && later.every((m) => m.tracks.length >= 1), 'tracks on passed-over frames');
    const ids = (m: Out) =>
      m.tracks
        .map((t) => t.id)
        .sort()
        .join(',');
    const i = out.indexOf(later[0]);
    const previousDetected = out
      .slice(0, i)
      .reverse()
      .find((m) => !m.detectionSkipped)!;
    assert.equal(ids(later[0]), ids(previousDetected));
    assert.deepEqual(loggedErrors(), []);
  });

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

  it('says when the model file is missing, without crashing', async () => {
    await loadFlow(NODES, pipeline({ modelPath: path.join(testTmp, 'missing.onnx'), autoStart: false }));
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.match(loggedErrors()[0], /model file not found/);
  });

  it('refuses a number of parallel inferences out of range', async () => {
    await loadFlow(NODES, pipeline({ sessions: 99, autoStart: false }));
    await waitFor(() => loggedErrors().length > 0, 10000, 'an error');
    assert.match(loggedErrors()[0], /parallel inferences must be a whole number from 0 \(auto\) to 16/);
  });

  it('answers bad input with an error: no image for the detector, no detections for the tracker', async () => {
    await loadFlow(NODES, pipeline({ autoStart: false }));
    getNode('detect').receive({ payload: 'not an image' });
    getNode('track').receive({ payload: 'hello' });
    await waitFor(() => loggedErrors().length >= 2, 10000, 'two errors');
    const errors = loggedErrors().join('\n');
    assert.match(errors, /input is not an image/);
    assert.match(errors, /msg.detections is missing/);
  });
});
