import assert from 'node:assert/strict';
import path from 'node:path';
import rtspInNode from '../../nodes/rtsp-in/rtsp-in';
import trackerNode from '../../nodes/tracker/tracker';
import type { TracksMessage } from '../../nodes/tracker/tracker-types';
import yoloDetectNode from '../../nodes/yolo-detect/yolo-detect';
import type { DetectionsMessage } from '../../nodes/yolo-detect/yolo-detect-types';
import yoloModelNode from '../../nodes/yolo-model/yolo-model';
import type { FrameMessage } from '../../nodes/rtsp-in/rtsp-in-types';
import { demoClip, testTmp } from '../support/assets';
import { getNode, helper, loadFlow, loggedErrors } from '../support/node-red';
import { waitFor } from '../support/processes';

const NODES = [rtspInNode, yoloModelNode, yoloDetectNode, trackerNode];

function pipeline(
  extra: { modelPath?: string; autoStart?: boolean; detectEvery?: number; sessions?: number } = {},
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
      url: demoClip(),
      cameraId: 'plaza',
      loop: true,
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
