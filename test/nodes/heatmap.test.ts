import assert from 'node:assert/strict';
import heatmapNode from '../../nodes/heatmap/heatmap';
import type { HeatmapMessage } from '../../nodes/heatmap/heatmap-types';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { clipFrameJpeg } from '../support/clip-frame';
import { getNode, helper, loadFlow, loggedErrors } from '../support/node-red';
import { waitFor } from '../support/processes';

const T0 = 1_764_000_000_000;

describe('heatmap node', function () {
  this.timeout(30000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  const flow = [
    { id: 'heat', type: 'heatmap', overlayFps: 5, wires: [['stats'], ['overlay'], []] },
    { id: 'stats', type: 'helper' },
    { id: 'overlay', type: 'helper' },
  ];
  const jpeg = clipFrameJpeg(300);
  const frameMsg = (i: number, feet: Array<[number, number]>) => ({
    payload: jpeg,
    topic: 'plaza',
    frame: {
      sourceId: 'plaza',
      seq: i + 1,
      capturedAt: T0 + i * 100,
      width: 768,
      height: 576,
      format: 'jpeg',
    },
    tracks: feet.map((footPoint, id) => ({ id: id + 1, footPoint })),
  });

  it('adds person-seconds from capture times, draws overlay frames, and resets', async () => {
    await loadFlow(heatmapNode, flow);
    const stats: HeatmapMessage[] = [];
    const overlays: Array<{ payload: Buffer }> = [];
    getNode('stats').on('input', ((m: HeatmapMessage) => stats.push(m)) as never);
    getNode('overlay').on('input', ((m: { payload: Buffer }) => overlays.push(m)) as never);
    const heat = getNode('heat');
    // Two people for 3 s at 10 fps (31 frames: 3 s between the first and the last).
    for (let i = 0; i <= 30; i++)
      heat.receive(
        frameMsg(i, [
          [200, 300],
          [500, 350],
        ]),
      );
    await waitFor(() => stats.length === 31 && overlays.length >= 1, 10000, 'statistics and an overlay');
    const last = stats[30].heatmap;
    assert.ok(
      Math.abs(last.statistics.totalActivitySeconds - 6) < 1e-3,
      `${last.statistics.totalActivitySeconds}`,
    );
    assert.equal(last.statistics.totalActivity, '6 s');
    assert.equal(last.cameraId, 'plaza');
    assert.deepEqual(readJpegSize(overlays[0].payload), { width: 768, height: 576 });

    heat.receive({ topic: 'reset' });
    heat.receive(frameMsg(40, [[200, 300]]));
    await waitFor(() => stats.length === 32, 5000, 'a frame after the reset');
    assert.equal(stats[31].heatmap.statistics.totalActivitySeconds, 0);
    assert.deepEqual(loggedErrors(), []);
  });

  it('records a camera gap instead of an empty floor', async () => {
    await loadFlow(heatmapNode, flow);
    const stats: HeatmapMessage[] = [];
    getNode('stats').on('input', ((m: HeatmapMessage) => stats.push(m)) as never);
    const heat = getNode('heat');
    heat.receive(frameMsg(0, [[200, 300]]));
    heat.receive(frameMsg(300, [[200, 300]])); // 30 s later
    await waitFor(() => stats.length === 2, 5000, 'two frames');
    assert.equal(stats[1].heatmap.cameraGapSeconds, 30);
    assert.equal(stats[1].heatmap.statistics.totalActivitySeconds, 0);
  });

  it('answers a message without tracks with an error', async () => {
    await loadFlow(heatmapNode, flow);
    getNode('heat').receive({ payload: jpeg, frame: { width: 768, height: 576 } });
    await waitFor(() => loggedErrors().length > 0, 5000, 'an error');
    assert.match(loggedErrors()[0], /msg.tracks is missing/);
  });
});
