import assert from 'node:assert/strict';
import { colouriseGrid, jet, percentileScale } from '../../../nodes/lib/heatmap/colour-map';

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
