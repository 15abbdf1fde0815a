import assert from 'node:assert/strict';
import { getNode, helper, loadFlow, loggedErrors } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';
import { NODES, pipeline, type Out } from './flows/detect-track-flow';

/** yolo-detect between rtsp-in and tracker on the clip (test/nodes/flows/detect-track-flow.ts). */
describe('yolo-detect node in rtsp-in -> yolo-detect -> tracker on the clip', function () {
  this.timeout(90000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

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

  it('answers bad input with an error: no image for the detector', async () => {
    await loadFlow(NODES, pipeline({ autoStart: false }));
    getNode('detect').receive({ payload: 'not an image' });
    await waitFor(() => loggedErrors().length >= 1, 10000, 'an error');
    const errors = loggedErrors().join('\n');
    assert.match(errors, /input is not an image/);
  });
});
