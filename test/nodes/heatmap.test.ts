import assert from 'node:assert/strict';
import heatmapNode from '../../nodes/heatmap/heatmap';
import mjpegOutNode from '../../nodes/mjpeg-out/mjpeg-out';
import type { HeatmapMessage } from '../../nodes/heatmap/heatmap-types';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { clipFrameJpeg } from '../support/clip-frame';
import { getNode, helper, loadFlow, loggedErrors, recordStatuses } from '../support/node-red';
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
    getNode('heat').receive({ payload: Buffer.from('not an image'), frame: { width: 768, height: 576 } });
    await waitFor(() => loggedErrors().length > 0, 5000, 'an error');
    assert.match(loggedErrors()[0], /msg.tracks is missing/);
  });

  it('draws the overlay on video frames straight from the camera when they come, not on tracked ones', async () => {
    await loadFlow(heatmapNode, flow);
    const overlays: Array<{ frame: { seq: number } }> = [];
    getNode('overlay').on('input', ((m: { frame: { seq: number } }) => overlays.push(m)) as never);
    const heat = getNode('heat');
    const video = (i: number) => {
      const m: Partial<ReturnType<typeof frameMsg>> = frameMsg(i, []);
      delete m.tracks; // a frame straight from rtsp-in
      return m;
    };
    heat.receive(video(0));
    await waitFor(() => overlays.length === 1, 5000, 'an overlay from a video frame');
    assert.equal(overlays[0].frame.seq, 1);
    await new Promise((r) => setTimeout(r, 250)); // past the 5 fps limit
    heat.receive(frameMsg(1, [[200, 300]])); // tracked: heat only, the video carries the overlay
    await new Promise((r) => setTimeout(r, 250));
    heat.receive(video(2));
    await waitFor(() => overlays.length === 2, 5000, 'a second overlay');
    assert.equal(overlays[1].frame.seq, 3);
    assert.deepEqual(loggedErrors(), []);
  });

  it('makes no overlay while the mjpeg-out it feeds has no viewer', async () => {
    await loadFlow(
      [heatmapNode, mjpegOutNode],
      [
        { id: 'heat', type: 'heatmap', overlayFps: 30, wires: [['stats'], ['feed'], []] },
        { id: 'feed', type: 'mjpeg-out', path: '/heat-test-feed', wires: [['after']] },
        { id: 'stats', type: 'helper' },
        { id: 'after', type: 'helper' },
      ],
    );
    const stats: HeatmapMessage[] = [];
    const passed: unknown[] = [];
    getNode('stats').on('input', ((m: HeatmapMessage) => stats.push(m)) as never);
    getNode('after').on('input', ((m: unknown) => passed.push(m)) as never);
    // mjpeg-out wired on: its output wants frames.
    getNode('heat').receive(frameMsg(0, [[200, 300]]));
    await waitFor(() => passed.length === 1, 5000, 'an overlay passed through mjpeg-out');
    await helper.unload();

    await loadFlow(
      [heatmapNode, mjpegOutNode],
      [
        { id: 'heat', type: 'heatmap', overlayFps: 30, wires: [['stats'], ['feed'], []] },
        { id: 'feed', type: 'mjpeg-out', path: '/heat-test-feed', wires: [[]] },
        { id: 'stats', type: 'helper' },
      ],
    );
    const statuses = recordStatuses(getNode('feed'));
    getNode('stats').on('input', ((m: HeatmapMessage) => stats.push(m)) as never);
    for (let i = 1; i <= 5; i++) {
      getNode('heat').receive(frameMsg(i, [[200, 300]]));
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => stats.length === 6, 5000, 'the frames');
    await new Promise((r) => setTimeout(r, 300));
    // mjpeg-out's status leaves "waiting for frames" at its first frame: it never got one.
    assert.ok(
      statuses.every((st) => /waiting for frames/.test(String(st.text))),
      `mjpeg-out received no overlay frame: ${JSON.stringify(statuses)}`,
    );
  });
});
