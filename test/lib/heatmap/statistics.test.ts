import assert from 'node:assert/strict';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';
import { heatStatistics } from '../../../nodes/lib/heatmap/statistics';

const close = (a: number, b: number, eps = 1e-4) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

describe('heat statistics', () => {
  it('sums activity, finds the busiest cell, averages over visited cells, measures the floor share', () => {
    const grid = new HeatGrid({ sourceWidth: 40, sourceHeight: 40, cellSize: 10 }); // 4 x 4
    grid.cells.set([8100, 0, 0, 0, 0, 60, 0, 0, 0, 0, 0.002, 0, 0, 0, 0, 0]);
    const stats = heatStatistics(grid);
    assert.ok(close(stats.totalActivitySeconds, 8160.002));
    assert.equal(stats.totalActivity, '2 h 16 min');
    assert.equal(stats.maxActivitySeconds, 8100);
    assert.ok(close(stats.averageActivitySeconds, 8160.002 / 3));
    assert.equal(stats.floorShareVisited, 2 / 16);
  });
});
