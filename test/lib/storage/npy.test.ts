import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';
import { decodeNpy, encodeNpy } from '../../../nodes/lib/storage/npy';
import { testTmp } from '../../../support/assets';

const close = (a: number, b: number, eps = 1e-4) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

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
