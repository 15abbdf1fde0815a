import assert from 'node:assert/strict';
import { DEFAULT_HEAT_OPTIONS } from '../../../nodes/lib/heatmap/heat-accumulator';
import type { HeatSnapshot } from '../../../nodes/lib/heatmap/heat-snapshot';
import { LIVE_MS, StoreHeat } from '../../../nodes/lib/heatmap/store-heat';

const ALL = { all: true } as const;
const only = (...ids: string[]) => ({ all: false as const, ids });

/** One person standing for `seconds` at 10 fps, from `start`. */
function feed(store: StoreHeat, cameraId: string, start: number, seconds: number, size = [768, 576]): void {
  for (let i = 0; i <= seconds * 10; i++) {
    store.addFrame({
      cameraId,
      width: size[0],
      height: size[1],
      footPoints: [[300, 300]],
      at: start + i * 100,
      trackerUnique: 1,
      now: start + i * 100,
    });
  }
}

describe('StoreHeat: the heat of every camera of a store', () => {
  const now = Date.now();

  it('keeps each camera apart and sums them in the totals', () => {
    const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(store, 'door', now, 2);
    feed(store, 'till', now, 3, [384, 288]);
    const { cameras, totals } = store.statistics(now + 3000);
    assert.ok(Math.abs(cameras.door.totalActivitySeconds - 2) < 1e-3);
    assert.ok(Math.abs(cameras.till.totalActivitySeconds - 3) < 1e-3);
    assert.equal(totals.cameras, 2);
    assert.equal(totals.uniquePeople, cameras.door.uniquePeople + cameras.till.uniquePeople);
    assert.equal(totals.peopleInView, 2);
    assert.equal(totals.camerasLive, 2);
    // A camera that stopped sending: its last people in view are not counted as "now".
    const later = store.statistics(now + 2000 + LIVE_MS + 1);
    assert.equal(later.cameras.door.live, false);
    assert.equal(later.totals.peopleInView, 1, 'only till (fed a second longer) is live');
    assert.ok(Math.abs(totals.totalActivitySeconds - 5) < 1e-3);
    assert.equal(store.day('till')!.map.total.sourceWidth, 384);
  });

  it("gives the store's camera gaps in words, and over how many cameras", () => {
    const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(store, 'door', now, 1);
    feed(store, 'door', now + 5000, 1); // 4 s without frames
    feed(store, 'till', now, 2);
    let { totals } = store.statistics(now + 6000);
    assert.equal(totals.cameraGap, '4 s');
    assert.equal(totals.camerasWithGaps, 1);
    feed(store, 'till', now + 200_000, 1); // 198 s
    ({ totals } = store.statistics(now + 201_000));
    assert.equal(totals.cameraGap, '3 min');
    assert.equal(totals.camerasWithGaps, 2);
  });

  it('resets and snapshots only the cameras a command names', () => {
    const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(store, 'door', now, 2);
    feed(store, 'till', now, 2);
    const emptied = store.reset(only('door'), now + 5000);
    assert.deepEqual(
      emptied.map((s) => s.meta.cameraId),
      ['door'],
    );
    assert.equal(emptied[0].meta.statistics.totalActivitySeconds, 0);
    const { cameras } = store.statistics(now + 5000);
    assert.equal(cameras.door.totalActivitySeconds, 0);
    assert.ok(cameras.till.totalActivitySeconds > 1.9);
    assert.deepEqual(
      store.snapshots(only('till', 'gone'), now).map((s) => s.meta.cameraId),
      ['till'],
    );
    assert.deepEqual(
      store.snapshots(ALL, now).map((s) => s.meta.cameraId),
      ['door', 'till'],
    );
  });

  it('gives each restored snapshot to its own camera, and only once that camera sends frames', () => {
    const before = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(before, 'door', now - 60_000, 4);
    feed(before, 'till', now - 60_000, 1);
    const saved = before.snapshots(ALL, now - 50_000);

    const after = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    const outcome = after.restore(saved, now);
    assert.deepEqual(outcome.held.sort(), ['door', 'till']);
    assert.deepEqual(after.cameras(), [], 'no camera appears before its frames do');
    const first = after.addFrame({ cameraId: 'door', width: 768, height: 576, footPoints: [], at: now, now });
    assert.equal(first.restored?.meta.cameraId, 'door');
    const { cameras } = after.statistics(now);
    assert.deepEqual(Object.keys(cameras), ['door'], 'till (removed from the flow) never comes back');
    assert.ok(Math.abs(cameras.door.totalActivitySeconds - 4) < 1e-3, `${cameras.door.totalActivitySeconds}`);
    assert.ok(cameras.door.cameraGapSeconds >= 49, 'the time since the save is a camera gap');
  });

  it('restores a day saved after frames that reach the new node later (a redeploy while the detector is busy)', () => {
    // Frames are captured until now - 2 s; the save comes at now, while frames captured in the
    // last 2 s are still on their way through the detector. They reach the redeployed heatmap.
    const before = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(before, 'door', now - 30_000, 28);
    const saved = before.snapshots(ALL, now);
    assert.equal(saved[0].meta.lastFrameAt, now - 2000);

    const after = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    after.addFrame({
      cameraId: 'door',
      width: 768,
      height: 576,
      footPoints: [],
      at: now - 1900,
      now: now + 300,
    });
    assert.deepEqual(after.restore(saved, now + 400).applied, ['door']);
    const { cameras } = after.statistics(now + 400);
    assert.equal(cameras.door.since, now - 30_000, "the day's start is kept");
    assert.ok(
      Math.abs(cameras.door.totalActivitySeconds - 28) < 1e-3,
      `${cameras.door.totalActivitySeconds}`,
    );
  });
  it("restores only today's heat, and no heat saved before a reset", () => {
    const before = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(before, 'door', now - 60_000, 2);
    const [saved] = before.snapshots(ALL, now - 50_000);
    const yesterday: HeatSnapshot = { ...saved, meta: { ...saved.meta, savedAt: now - 86_400_000 * 2 } };

    const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    assert.deepEqual(store.restore([yesterday], now).otherDay, ['door']);
    // A reset that comes before the restore: the old heat must not come back after it.
    feed(store, 'door', now, 1);
    store.reset(ALL, now + 2000);
    assert.deepEqual(store.restore([saved], now + 3000).beforeReset, ['door']);
    assert.equal(store.statistics(now + 3000).cameras.door.totalActivitySeconds, 0);
  });

  it('has a reset replace a held day on disk even before its camera sends frames', () => {
    const before = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(before, 'door', now - 60_000, 2);
    const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    store.restore(before.snapshots(ALL, now - 50_000), now);
    const emptied = store.reset(ALL, now);
    assert.equal(emptied.length, 1);
    assert.equal(emptied[0].meta.cameraId, 'door');
    assert.equal(emptied[0].meta.statistics.totalActivitySeconds, 0);
    assert.equal(emptied[0].meta.sourceWidth, 768);
    assert.deepEqual(store.cameras(), []);
  });

  it("says when a camera's picture changed size (its day starts again on a new grid)", () => {
    const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    feed(store, 'door', now, 1);
    const frame = { cameraId: 'door', footPoints: [], at: now + 2000, now: now + 2000 };
    assert.equal(store.addFrame({ ...frame, width: 768, height: 576 }).resized, false);
    assert.equal(store.addFrame({ ...frame, width: 640, height: 480 }).resized, true);
  });

  it('reports things that are not snapshots', () => {
    const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
    assert.equal(store.restore([{ meta: 'nope' }], now).errors.length, 1);
  });
});
