import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';
import { storeStatistics } from '../../../nodes/lib/heatmap/statistics';
import type { HeatSnapshotMeta } from '../../../nodes/lib/heatmap/heat-snapshot';
import { HeatSnapshotStore } from '../../../nodes/lib/storage/heat-snapshot-store';
import { testTmp } from '../../../support/assets';

describe('heat snapshot store', () => {
  const base = path.join(testTmp, 'saved_heatmaps');
  const at = new Date(2026, 10, 25, 14, 30).getTime();
  const store = new HeatSnapshotStore(base);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

  function snapshot(cameraId = 'camera-1'): { grid: HeatGrid; meta: HeatSnapshotMeta } {
    const grid = new HeatGrid({ sourceWidth: 768, sourceHeight: 576, cellSize: 8 });
    grid.addPerson(300, 400, 42, 30);
    return {
      grid,
      meta: {
        cameraId,
        startedAt: at - 3600_000,
        savedAt: at,
        gridCols: grid.cols,
        gridRows: grid.rows,
        cellSize: 8,
        sourceWidth: 768,
        sourceHeight: 576,
        statistics: storeStatistics(grid, { inView: 2, unique: 9, gapSeconds: 12, since: at - 3600_000 }),
        cameraGapSeconds: 12,
        visitors: 9,
      },
    };
  }

  beforeEach(() => rmSync(base, { recursive: true, force: true }));

  it('saves NumPy data, PNG and JSON under YYYYMMDD, and restores the same grid', async () => {
    const { grid, meta } = snapshot();
    const files = await store.save(grid, meta, png);
    assert.equal(path.relative(base, files.npy), path.join('20261125', 'heatmap_camera-1.npy'));
    assert.ok(readFileSync(files.png).equals(png));
    assert.equal(JSON.parse(readFileSync(files.json, 'utf8')).cameraGapSeconds, 12);
    const restored = await store.restore('camera-1', at + 60_000);
    assert.ok(restored);
    assert.deepEqual([...restored.grid.cells], [...grid.cells]);
    assert.equal(restored.meta.startedAt, meta.startedAt);
  });

  it('writes a crash checkpoint (grid and JSON, not the PNG) that the next start restores', async () => {
    const { grid, meta } = snapshot();
    const files = await store.save(grid, meta, png);
    grid.addPerson(100, 100, 42, 60);
    const later = { ...meta, savedAt: at + 60_000, visitors: 11 };
    const written = await store.saveData(grid, later);
    assert.deepEqual(written, { npy: files.npy, json: files.json });
    assert.ok(readFileSync(files.png).equals(png), 'the picture stays as the last full save drew it');
    const { restored } = await store.today(at + 90_000);
    assert.equal(restored.length, 1);
    assert.deepEqual([...restored[0].cells], [...grid.cells]);
    assert.equal(restored[0].meta.visitors, 11);
    assert.equal(restored[0].meta.savedAt, at + 60_000);
  });

  it('keeps hourly snapshots when asked', async () => {
    const { grid, meta } = snapshot();
    await store.save(grid, meta, png, true);
    assert.ok(existsSync(path.join(base, '20261125', 'heatmap_camera-1_14h.npy')));
  });

  it('finds nothing on a new day', async () => {
    const { grid, meta } = snapshot();
    await store.save(grid, meta, png);
    assert.equal(await store.restore('camera-1', at + 24 * 3600_000), null);
  });

  it('reports a damaged snapshot instead of loading it', async () => {
    const { grid, meta } = snapshot();
    const files = await store.save(grid, meta, png);
    writeFileSync(files.npy, readFileSync(files.npy).subarray(0, 200));
    await assert.rejects(store.restore('camera-1', at), /damaged: truncated/);
    writeFileSync(files.json, '{ not json');
    await assert.rejects(store.restore('camera-1', at), /unreadable/);
  });

  it('lists the cameras with a snapshot of the day, not their hourly ones, and reports unreadable ones', async () => {
    for (const camera of ['camera-1', 'door/2']) {
      const { grid, meta } = snapshot(camera);
      await store.save(grid, meta, png, true);
    }
    writeFileSync(path.join(base, '20261125', 'heatmap_broken.json'), '{"cameraId":');
    const { cameras, damaged } = await store.camerasOfDay(at);
    assert.deepEqual(cameras.sort(), ['camera-1', 'door/2']);
    assert.equal(damaged.length, 1);
    assert.match(damaged[0].message, /heatmap_broken\.json is unreadable/);
    assert.deepEqual(await store.camerasOfDay(at + 24 * 3600_000), { cameras: [], damaged: [] });
  });

  it('keeps camera ids from escaping the folder', () => {
    const files = new HeatSnapshotStore('/data/heat').files('../../../root/.ssh/authorized_keys', at);
    for (const file of Object.values(files)) assert.ok(file.startsWith('/data/heat/20261125/heatmap_'), file);
  });
});
