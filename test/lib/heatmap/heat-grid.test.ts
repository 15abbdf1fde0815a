import assert from 'node:assert/strict';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';

const close = (a: number, b: number, eps = 1e-4) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

describe('heat grid', () => {
  const shape = { sourceWidth: 768, sourceHeight: 576, cellSize: 8 };

  it('is coarser than the frame: 96 x 72 cells of 8 px for 768 x 576', () => {
    const grid = new HeatGrid(shape);
    assert.deepEqual([grid.cols, grid.rows], [96, 72]);
  });

  it('adds exactly the seconds a person stood there (mass conserved), also at the border', () => {
    const grid = new HeatGrid(shape);
    grid.addPerson(400, 300, 2.5, 30);
    assert.ok(close(grid.total, 2.5));
    grid.addPerson(1, 575, 1, 30); // bottom-left corner: most of the kernel is outside
    assert.ok(close(grid.total, 3.5));
    grid.addPerson(5000, 300, 1, 30); // outside the image: ignored
    assert.ok(close(grid.total, 3.5));
  });

  it('spreads within the radius and peaks where the person stands', () => {
    const grid = new HeatGrid(shape);
    grid.addPerson(404, 300, 1, 30);
    const at = (x: number, y: number) => grid.cells[Math.floor(y / 8) * grid.cols + Math.floor(x / 8)];
    assert.ok(at(404, 300) > at(420, 300) && at(420, 300) > at(428, 300));
    assert.equal(at(404 + 40, 300), 0, 'nothing beyond the radius');
    assert.equal(at(404, 300 - 40), 0);
    let peak = 0;
    grid.cells.forEach((v) => (peak = Math.max(peak, v)));
    assert.equal(at(404, 300), peak);
  });

  it('weights by time, not by frames: 10 frames of 0.1 s equal 2 frames of 0.5 s', () => {
    const a = new HeatGrid(shape);
    const b = new HeatGrid(shape);
    for (let i = 0; i < 10; i++) a.addPerson(200, 200, 0.1, 30);
    for (let i = 0; i < 2; i++) b.addPerson(200, 200, 0.5, 30);
    a.cells.forEach((v, i) => assert.ok(close(v, b.cells[i], 1e-5)));
  });
});
