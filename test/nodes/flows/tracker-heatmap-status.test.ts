import assert from 'node:assert/strict';
import heatmapNode from '../../../nodes/heatmap/heatmap';
import trackerNode from '../../../nodes/tracker/tracker';
import { sinceText } from '../../../nodes/lib/control/count-labels';
import { CameraDay } from '../../../nodes/lib/heatmap/camera-day';
import { DEFAULT_HEAT_OPTIONS } from '../../../nodes/lib/heatmap/heat-accumulator';
import { getNode, helper, loadFlow, statusesSince } from '../../../support/node-red/test-helper';
import { sleep, waitFor } from '../../../support/processes';

describe('tracker and heatmap statuses right after a deploy', function () {
  this.timeout(30000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it("say what each counts and since when: the tracker's IDs since the deploy, the heatmap's visitors of the day", async () => {
    const deployedAt = Date.now();
    const dayStart = deployedAt - 2 * 3_600_000;
    await loadFlow(
      [trackerNode, heatmapNode],
      [
        { id: 'track', type: 'tracker', wires: [['heat']] },
        { id: 'heat', type: 'heatmap', overlayFps: 0, snapshotInterval: 0, wires: [[], [], []] },
      ],
    );
    // The day saved before the deploy comes back: 19 visitors since two hours ago.
    const before = new CameraDay('camera-1', {
      ...DEFAULT_HEAT_OPTIONS,
      sourceWidth: 768,
      sourceHeight: 576,
    });
    before.map.startedAt = dayStart;
    before.visitors.restore(19);
    getNode('heat').receive({ topic: 'restore', payload: [before.snapshot(deployedAt - 1000)] });
    // Seven people, confirmed by the tracker after a few frames.
    const detections = Array.from({ length: 7 }, (_, i) => ({
      box: [40 + i * 100, 200, 100 + i * 100, 400],
      score: 0.9,
      label: 'person',
    }));
    const frame = (i: number) =>
      getNode('track').receive({
        topic: 'camera-1',
        frame: { sourceId: 'camera-1', capturedAt: deployedAt + i * 100, width: 768, height: 576 },
        detections,
      });
    for (let i = 0; i < 8; i++) frame(i);
    const trackedAt = Date.now();
    await sleep(1100); // the statuses change at most once a second
    frame(8);
    const text = (id: string) => String(statusesSince(id).pop()?.text ?? '');
    await waitFor(() => /26 visitors/.test(text('heat')), 5000, 'the heatmap status');
    // Both figures, each with its own period: nobody reads 7 and 26 as one number.
    const since = /^7 in view, 7 IDs since (\d\d:\d\d)$/.exec(text('track'))?.[1];
    assert.ok(
      since === sinceText(deployedAt, trackedAt) || since === sinceText(trackedAt, trackedAt),
      text('track'),
    );
    assert.match(text('heat'), new RegExp(`, 26 visitors since ${sinceText(dayStart, Date.now())}$`));
  });
});
