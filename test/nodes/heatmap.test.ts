import assert from 'node:assert/strict';
import heatmapNode from '../../nodes/heatmap/heatmap';
import type { HeatmapMessage } from '../../nodes/heatmap/heatmap-types';
import { readJpegSize } from '../../nodes/lib/image/jpeg-splitter';
import { clipFrameJpeg } from '../../support/video/clip-frame';
import { getNode, helper, loadFlow, loggedErrors } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';

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

  it("draws each camera's overlay from its own tracked frames, on its own clock", async () => {
    await loadFlow(heatmapNode, flow);
    const overlays: Array<{ topic: string; frame: { sourceId: string } }> = [];
    getNode('overlay').on('input', ((m: (typeof overlays)[0]) => overlays.push(m)) as never);
    const heat = getNode('heat');
    const of = (camera: string, i: number) => {
      const m = frameMsg(i, [[200, 300]]);
      m.topic = camera;
      m.frame.sourceId = camera;
      return m;
    };
    // Both cameras' frames interleaved, 10 fps each for 1 s: each gets its own overlays (5 fps each).
    for (let i = 0; i <= 10; i++) {
      heat.receive(of('door', i));
      heat.receive(of('till', i));
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => overlays.length >= 6, 5000, 'overlays of both cameras');
    const door = overlays.filter((o) => o.topic === 'door');
    const till = overlays.filter((o) => o.topic === 'till');
    assert.ok(door.length >= 3 && till.length >= 3, `door ${door.length}, till ${till.length}`);
    assert.ok(
      overlays.every((o) => o.frame.sourceId === o.topic),
      'each overlay carries its camera',
    );
    assert.deepEqual(loggedErrors(), []);
  });

  it('keeps cameras apart in msg.store and sums them in its totals', async () => {
    await loadFlow(heatmapNode, flow);
    const stats: HeatmapMessage[] = [];
    getNode('stats').on('input', ((m: HeatmapMessage) => stats.push(m)) as never);
    const heat = getNode('heat');
    for (let i = 0; i <= 10; i++) {
      const door = frameMsg(i, [[200, 300]]);
      door.frame.sourceId = 'door';
      heat.receive(door);
      const till = frameMsg(i, [
        [200, 300],
        [400, 300],
      ]);
      till.frame.sourceId = 'till';
      heat.receive(till);
    }
    await waitFor(() => stats.length === 22, 5000, 'the frames');
    const { cameras, totals } = stats[21].store;
    assert.deepEqual(Object.keys(cameras), ['door', 'till']);
    assert.ok(Math.abs(cameras.door.totalActivitySeconds - 1) < 1e-3);
    assert.ok(Math.abs(cameras.till.totalActivitySeconds - 2) < 1e-3);
    assert.equal(totals.cameras, 2);
    assert.equal(totals.peopleInView, 3);
    assert.ok(Math.abs(totals.totalActivitySeconds - 3) < 1e-3);

    // A reset naming one camera leaves the other as it was.
    heat.receive({ topic: 'reset', cameras: 'door' });
    const door = frameMsg(11, [[200, 300]]);
    door.frame.sourceId = 'door';
    heat.receive(door);
    await waitFor(() => stats.length === 23, 5000, 'a frame after the reset');
    assert.equal(stats[22].store.cameras.door.totalActivitySeconds, 0);
    assert.ok(Math.abs(stats[22].store.cameras.till.totalActivitySeconds - 2) < 1e-3);
  });

  it('draws no overlay for a camera its feed reports nobody watching, and again once someone does', async () => {
    await loadFlow(heatmapNode, [{ ...flow[0], overlayFps: 30 }, flow[1], flow[2]]);
    const overlays: unknown[] = [];
    getNode('overlay').on('input', ((m: unknown) => overlays.push(m)) as never);
    const heat = getNode('heat');
    let i = 0;
    const frames = async (n: number) => {
      for (let k = 0; k < n; k++) {
        heat.receive(frameMsg(i++, [[200, 300]]));
        await new Promise((r) => setTimeout(r, 60));
      }
    };
    await frames(1); // the camera's first frame: its day (and its first overlay)
    await waitFor(() => overlays.length === 1, 5000, 'the first overlay');
    heat.receive({ topic: 'viewers', cameras: ['plaza'], feed: 'feed-1', payload: 0 });
    heat.receive({ topic: 'viewers', cameras: ['attic'], feed: 'feed-1', payload: 0 }); // a camera it has not: ignored
    await frames(5);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(overlays.length, 1, 'no overlay while nobody watches');
    heat.receive({ topic: 'viewers', cameras: ['plaza'], feed: 'feed-1', payload: 1 });
    await frames(3);
    await waitFor(() => overlays.length > 1, 5000, 'an overlay once someone watches');
    assert.deepEqual(loggedErrors(), []);
  });

  it("sends the store a save's snapshots with its HTTP request, and history the data only", async () => {
    await loadFlow(heatmapNode, [
      {
        id: 'heat',
        type: 'heatmap',
        overlayFps: 0,
        snapshotInterval: 0,
        wires: [[], [], ['store'], ['history']],
      },
      { id: 'store', type: 'helper' },
      { id: 'history', type: 'helper' },
    ]);
    type Sent = { topic: string; reason?: string; save?: unknown; payload: unknown[]; res?: unknown };
    const store: Sent[] = [];
    const history: Sent[] = [];
    getNode('store').on('input', ((m: Sent) => store.push(m)) as never);
    getNode('history').on('input', ((m: Sent) => history.push(m)) as never);
    const heat = getNode('heat');
    heat.receive(frameMsg(0, [[200, 300]]));
    heat.receive({ topic: 'save', req: { path: '/save_heatmap' }, res: { marker: 1 } });
    await waitFor(() => store.some((m) => m.reason === 'save') && history.length === 1, 5000, 'the save');
    const save = store.find((m) => m.reason === 'save')!;
    assert.equal(save.topic, 'heatmap/snapshot');
    assert.deepEqual(save.res, { marker: 1 }, 'the HTTP request goes to the store');
    assert.equal(save.save, undefined, 'no save flag: the reason says it');
    assert.equal(history[0].topic, 'heatmap/snapshot');
    assert.equal(history[0].reason, 'save');
    assert.equal(history[0].res, undefined, 'history gets no HTTP request');
    assert.equal(history[0].payload.length, 1);
    assert.ok(
      !history.some((m) => m.topic === 'heatmap/restore-request'),
      'restore requests go to the store only',
    );
    assert.deepEqual(loggedErrors(), []);
  });

  it('takes commands by msg.topic only and says what it takes', async () => {
    await loadFlow(heatmapNode, flow);
    getNode('heat').receive({ payload: 'reset' });
    await waitFor(() => loggedErrors().length > 0, 5000, 'an error');
    assert.match(
      loggedErrors()[0],
      /msg.tracks is missing.*msg.topic \(reset, save, snapshot, restore, viewers\)/,
    );
    getNode('heat').receive({ topic: 'reset', cameras: 42 });
    await waitFor(() => loggedErrors().length > 1, 5000, 'a second error');
    assert.match(loggedErrors()[1], /msg.cameras must be/);
  });
});
