import assert from 'node:assert/strict';
import { nonMaxSuppression } from '../../../nodes/lib/yolo/nms';

describe('non-maximum suppression', () => {
  it('keeps the best of overlapping boxes of one class, and overlapping boxes of other classes', () => {
    const dets = [
      { box: [0, 0, 10, 20] as [number, number, number, number], score: 0.6, classId: 0 },
      { box: [1, 0, 11, 20] as [number, number, number, number], score: 0.9, classId: 0 },
      { box: [1, 0, 11, 20] as [number, number, number, number], score: 0.8, classId: 1 },
      { box: [30, 0, 40, 20] as [number, number, number, number], score: 0.5, classId: 0 },
    ];
    assert.deepEqual(
      nonMaxSuppression(dets, 0.7).map((d) => d.score),
      [0.9, 0.8, 0.5],
    );
  });

  it('keeps two people side by side whose boxes overlap less than the threshold', () => {
    const a = { box: [0, 0, 10, 30] as [number, number, number, number], score: 0.9, classId: 0 };
    const b = { box: [4, 0, 14, 30] as [number, number, number, number], score: 0.8, classId: 0 }; // IoU 0.43
    assert.equal(nonMaxSuppression([a, b], 0.7).length, 2);
    assert.equal(nonMaxSuppression([a, b], 0.4).length, 1);
  });
});
