import assert from 'node:assert/strict';
import type {} from '../../../nodes/tracker/tracker-types';
import type {} from '../../../nodes/yolo-detect/yolo-detect-types';
import type {} from '../../../nodes/rtsp-in/rtsp-in-types';
import { getNode, helper, loadFlow, loggedErrors } from '../../../support/node-red/test-helper';
import { waitFor } from '../../../support/processes';

import { NODES, pipeline, type Out } from './detect-track-flow';

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
});
