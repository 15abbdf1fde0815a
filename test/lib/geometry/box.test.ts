import assert from 'node:assert/strict';
import { boxArea, boxGap, boxUnion, iou, isBox } from '../../../nodes/lib/geometry/box';

describe('box geometry', () => {
  it('measures overlap as intersection over union', () => {
    assert.equal(iou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
    assert.equal(iou([0, 0, 10, 10], [5, 0, 15, 10]), 50 / 150);
    assert.equal(iou([0, 0, 10, 10], [20, 20, 30, 30]), 0);
  });

  it('gives an inverted box no area', () => {
    assert.equal(boxArea([0, 0, 4, 5]), 20);
    assert.equal(boxArea([4, 0, 0, 5]), 0);
  });

  it('unites two boxes into the smallest box holding both', () => {
    assert.deepEqual(boxUnion([0, 5, 4, 8], [2, 1, 10, 6]), [0, 1, 10, 8]);
    assert.deepEqual(boxUnion([0.1, 0.1, 0.2, 0.2], [0.1, 0.1, 0.2, 0.2]), [0.1, 0.1, 0.2, 0.2]);
  });

  it('measures the gap along the axis where two boxes are furthest apart', () => {
    assert.equal(boxGap([0, 0, 4, 4], [10, 1, 12, 3]), 6);
    assert.equal(boxGap([0, 0, 4, 4], [6, 9, 8, 10]), 5);
    assert.equal(boxGap([0, 0, 4, 4], [4, 0, 8, 4]), 0, 'touching');
    assert.equal(boxGap([0, 0, 4, 4], [2, 2, 8, 8]), 0, 'overlapping');
  });

  it('tells a box from other values in a message', () => {
    assert.equal(isBox([1, 2, 3, 4]), true);
    assert.equal(isBox([1, 2, 3]), false);
    assert.equal(isBox([1, 2, 3, Number.NaN]), false);
    assert.equal(isBox([1, 2, '3', 4]), false);
    assert.equal(isBox({ 0: 1, 1: 2, 2: 3, 3: 4, length: 4 }), false);
    assert.equal(isBox(null), false);
  });
});
