import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { colouriseGrid, jet, percentileScale } from '../../../nodes/lib/heatmap/colour-map';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';
import { heatStatistics } from '../../../nodes/lib/heatmap/statistics';
import { decodeNpy, encodeNpy } from '../../../nodes/lib/storage/npy';
import { testTmp } from '../../../support/assets';

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

describe('colour map', () => {
  it('is the jet map: dark blue, cyan, yellow, dark red', () => {
    assert.deepEqual(jet(0), [0, 0, 128]);
    assert.deepEqual(jet(0.375), [0, 255, 255]);
    assert.deepEqual(jet(0.625), [255, 255, 0]);
    assert.deepEqual(jet(1), [128, 0, 0]);
  });

  it('scales by a percentile so one hot spot does not wash out the rest', () => {
    const cells = new Float32Array(200);
    for (let i = 0; i < 100; i++) cells[i] = 1 + i / 100; // 1..1.99
    cells[150] = 1000; // one very busy cell
    const scale = percentileScale(cells, 99);
    assert.ok(scale < 2, `scale ${scale}`);
    const rgba = colouriseGrid(cells, scale, 200);
    assert.deepEqual([...rgba.subarray(150 * 4, 151 * 4)], [128, 0, 0, 200], 'the hot spot is full red');
    assert.ok(rgba[50 * 4 + 3] > 100, 'ordinary cells stay visible');
    assert.equal(rgba[199 * 4 + 3], 0, 'unvisited cells are transparent');
    assert.equal(percentileScale(new Float32Array(4)), 0);
  });
});

describe('NumPy .npy files', () => {
  it('writes a grid that NumPy loads with the same shape and values', () => {
    const grid = new HeatGrid({ sourceWidth: 768, sourceHeight: 576, cellSize: 8 });
    grid.addPerson(300, 200, 12.5, 30);
    grid.addPerson(600, 500, 3, 30);
    mkdirSync(testTmp, { recursive: true });
    const file = path.join(testTmp, 'heat-test.npy');
    writeFileSync(file, encodeNpy(grid.cells, [grid.rows, grid.cols]));
    const out = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, numpy as np; a = np.load(sys.argv[1]); print(a.dtype, a.shape, float(a.sum()), float(a[25, 37]), sep="|")',
        file,
      ],
      { encoding: 'utf8' },
    ).trim();
    const [dtype, shapeText, sum, cell] = out.split('|');
    assert.equal(dtype, 'float32');
    assert.equal(shapeText, '(72, 96)');
    assert.ok(close(Number(sum), grid.total, 1e-4), `${sum} vs ${grid.total}`);
    assert.ok(close(Number(cell), grid.cells[25 * 96 + 37], 1e-6));
  });

  it('reads back what it wrote, and reports a damaged file', () => {
    const data = Float32Array.from([1.5, 0, -2, 3.25, 7, 8]);
    const round = decodeNpy(encodeNpy(data, [2, 3]));
    assert.deepEqual(round.shape, [2, 3]);
    assert.deepEqual([...round.data], [...data]);
    const file = encodeNpy(data, [2, 3]);
    assert.throws(() => decodeNpy(file.subarray(0, file.length - 5)), /truncated/);
    assert.throws(() => decodeNpy(Buffer.from('not numpy at all')), /not a NumPy/);
    assert.equal(encodeNpy(data, [2, 3]).indexOf('\n') % 64, 63, 'header padded to 64 bytes');
  });
});
