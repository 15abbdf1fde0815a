import assert from 'node:assert/strict';
import { decodeYoloOutput, detectLayout } from '../../../nodes/lib/yolo/decode';

/** Builds a YOLOv8 output [1, 4+nc, N] from anchors given as [cx, cy, w, h, ...classScores]. */
function yolov8Tensor(anchors: number[][], numClasses: number): { data: Float32Array; dims: number[] } {
  const n = anchors.length;
  const rows = 4 + numClasses;
  const data = new Float32Array(rows * n);
  anchors.forEach((a, i) => a.forEach((v, r) => (data[r * n + i] = v)));
  return { data, dims: [1, rows, n] };
}

const opts = { numClasses: 3, scoreThreshold: 0.5, classes: null };

describe('YOLO output decoding', () => {
  it('decodes the YOLOv8/YOLO11 layout [1, 4+nc, N] (channels first)', () => {
    const { data, dims } = yolov8Tensor(
      [
        [100, 50, 20, 40, 0.9, 0.1, 0.0],
        [300, 200, 10, 10, 0.2, 0.3, 0.4], // below the threshold
        [320, 240, 64, 128, 0.1, 0.0, 0.7],
      ],
      3,
    );
    assert.equal(detectLayout(dims, 3), 'yolov8');
    assert.deepEqual(decodeYoloOutput(data, dims, opts), [
      { box: [90, 30, 110, 70], score: data[4 * 3 + 0], classId: 0 },
      { box: [288, 176, 352, 304], score: data[6 * 3 + 2], classId: 2 },
    ]);
  });

  it('keeps only the wanted classes', () => {
    const { data, dims } = yolov8Tensor(
      [
        [100, 50, 20, 40, 0.9, 0.1, 0.0],
        [320, 240, 64, 128, 0.1, 0.0, 0.7],
      ],
      3,
    );
    const people = decodeYoloOutput(data, dims, { ...opts, classes: new Set([0]) });
    assert.deepEqual(
      people.map((d) => d.classId),
      [0],
    );
  });

  it('decodes the YOLOv5 layout [1, N, 5+nc] with objectness', () => {
    // cx, cy, w, h, objectness, class scores (3 classes)
    const rows = [
      [50, 60, 10, 20, 0.9, 0.8, 0.1, 0.1], // 0.72 class 0
      [70, 80, 10, 10, 0.4, 1.0, 0.0, 0.0], // objectness too low
      [10, 10, 4, 4, 0.8, 0.1, 0.1, 0.7], // 0.56 class 2
    ];
    const data = Float32Array.from(rows.flat());
    const dims = [1, 3, 8];
    assert.equal(detectLayout(dims, 3), 'yolov5');
    const got = decodeYoloOutput(data, dims, opts);
    assert.deepEqual(
      got.map((d) => [d.box, Math.round(d.score * 100) / 100, d.classId]),
      [
        [[45, 50, 55, 70], 0.72, 0],
        [[8, 8, 12, 12], 0.56, 2],
      ],
    );
  });

  it('decodes end-to-end outputs [1, N, 6] (boxes already final)', () => {
    const data = Float32Array.from([10, 20, 30, 40, 0.95, 0, 50, 60, 70, 80, 0.3, 0, 5, 5, 9, 9, 0.6, 2]);
    const dims = [1, 3, 6];
    assert.equal(detectLayout(dims, 80), 'end2end');
    assert.deepEqual(
      decodeYoloOutput(data, dims, { numClasses: 80, scoreThreshold: 0.5, classes: new Set([0]) }).map(
        (d) => d.box,
      ),
      [[10, 20, 30, 40]],
    );
  });

  it('recognises the layout from the shape alone when the class count is unknown', () => {
    assert.equal(detectLayout([1, 84, 8400], 0), 'yolov8');
    assert.equal(detectLayout([1, 25200, 85], 0), 'yolov5');
    assert.equal(detectLayout([1, 300, 6], 0), 'end2end');
  });

  it('rejects outputs that are not a YOLO detection head', () => {
    assert.throws(() => detectLayout([1, 1000], 80), /not a YOLO detection model/);
    assert.throws(() => detectLayout([1, 32, 160, 160], 80), /not a YOLO detection model/);
    assert.throws(() => detectLayout([1, 50, 8400], 80), /fits none/);
  });
});
