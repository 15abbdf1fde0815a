import assert from 'node:assert/strict';
import { boxArea, iou } from '../../../nodes/lib/geometry/box';

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
});
