import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_HEAT_OPTIONS } from '../../../nodes/lib/heatmap/heat-accumulator';
import type { HeatSnapshot } from '../../../nodes/lib/heatmap/heat-snapshot';
import { StoreHeat } from '../../../nodes/lib/heatmap/store-heat';
import {
  HeatStoreService,
  type SavedPayload,
  type StoreStatusKind,
} from '../../../nodes/lib/storage/heat-store-service';
import {
  parseHeatStoreSettings,
  type HeatStoreSettings,
} from '../../../nodes/lib/storage/heat-store-settings';
import { dayFolder } from '../../../nodes/lib/time/local-day';
import { testTmp } from '../../../support/assets';
import { waitFor } from '../../../support/processes';

const ALL = { all: true } as const;

/** Today's snapshot of a camera after one person stood `seconds`. */
function snapshotOf(cameraId: string, seconds: number): HeatSnapshot {
  const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
  const start = Date.now() - seconds * 1000 - 1000;
  for (let i = 0; i <= seconds * 10; i++) {
    store.addFrame({
      cameraId,
      width: 768,
      height: 576,
      footPoints: [[300, 300]],
      at: start + i * 100,
      now: 0,
    });
  }
  return store.snapshots(ALL, Date.now())[0];
}

describe('HeatStoreService: what heatmap-store does, without Node-RED', () => {
  const userDir = path.join(testTmp, 'heat-store-service');
  let service: HeatStoreService | null = null;
  beforeEach(() => rmSync(userDir, { recursive: true, force: true }));
  afterEach(async () => {
    await service?.close();
    service = null;
  });

  /** A service on `userDir`/heat whose events are recorded. */
  function start(fields: object = {}) {
    const settings = parseHeatStoreSettings({ directory: 'heat', autosave: 0, ...fields }, userDir);
    const seen = {
      restores: [] as HeatSnapshot[][],
      notices: [] as SavedPayload[],
      statuses: [] as Array<[StoreStatusKind, string]>,
      errors: [] as string[],
    };
    service = new HeatStoreService(settings as HeatStoreSettings, {
      restore: (snapshots) => seen.restores.push(snapshots),
      saved: (payload) => seen.notices.push(payload),
      status: (kind, text) => seen.statuses.push([kind, text]),
      error: (text) => seen.errors.push(text),
      warn: () => {},
      log: () => {},
    });
    return { service, seen, today: path.join(userDir, 'heat', dayFolder(Date.now())) };
  }

  it('keeps periodic snapshots, writes a save at once and tells it with names under the directory', async () => {
    const { service, seen, today } = start();
    assert.equal(service.offer([snapshotOf('door', 2)], 'periodic'), null, 'kept for the autosave');
    assert.equal(existsSync(path.join(today, 'heatmap_door.npy')), false);
    const payload = await service.offer([snapshotOf('door', 3)], 'save');
    assert.equal(payload!.saved[0].npy, path.join(dayFolder(Date.now()), 'heatmap_door.npy'));
    assert.equal(payload!.error, undefined);
    assert.deepEqual(seen.notices, [payload], 'a notice for every save asked for');
    assert.ok(existsSync(path.join(today, 'heatmap_door.npy')));
    assert.equal(seen.statuses.at(-1)![0], 'ok');
  });

  it('hands back at start what is saved of today, and again to a heatmap that asks', async () => {
    const first = start();
    await first.service.offer([snapshotOf('door', 3)], 'save');
    await first.service.close();
    const { service: again, seen } = start();
    await waitFor(() => seen.restores.length === 1, 5000, 'the restore at start');
    assert.equal(seen.restores[0][0].meta.cameraId, 'door');
    await again.restoreRequest();
    assert.equal(seen.restores.length, 2);
    assert.deepEqual(seen.statuses.at(-1), ['idle', 'restored 1 camera(s)']);
  });

  it('writes what it holds when it closes', async () => {
    const { service, today } = start();
    service.offer([snapshotOf('door', 2)], 'periodic');
    await service.close();
    assert.ok(existsSync(path.join(today, 'heatmap_door.npy')));
  });

  it("says a failed save in the payload without the directory's place on the disk", async () => {
    mkdirSync(userDir, { recursive: true });
    writeFileSync(path.join(userDir, 'heat'), 'not a directory');
    const { service, seen } = start();
    const payload = await service.save();
    assert.deepEqual(payload.saved, []);
    assert.equal(payload.error, undefined, 'nothing held: nothing failed');
    const failed = await service.offer([snapshotOf('door', 1)], 'save');
    assert.match(failed!.error!, /could not save the heatmap of door/);
    assert.ok(!failed!.error!.includes(userDir), failed!.error);
    assert.match(seen.errors.join('\n'), /could not save the heatmap of door/);
    assert.equal(seen.statuses.at(-1)![0], 'error');
    rmSync(path.join(userDir, 'heat'));
  });
});
