import assert from 'node:assert/strict';
import {
  DFL_BINS,
  decodeLevels,
  isLevelLayout,
  LevelOutput,
  logit,
} from '../../../nodes/lib/yolo/level-decode';

const NUM_CLASSES = 3;
const CHANNELS = 4 * DFL_BINS + NUM_CLASSES;

/** An empty level (every class logit far below any threshold) of `cols` x `rows` cells. */
function level(cols: number, rows: number): LevelOutput {
  const cells = cols * rows;
  const data = new Float32Array(CHANNELS * cells);
  for (let c = 0; c < NUM_CLASSES; c++)
    data.fill(-20, (4 * DFL_BINS + c) * cells, (4 * DFL_BINS + c + 1) * cells);
  return { data, dims: [1, CHANNELS, rows, cols] };
}

/**
 * Puts an object in cell (x, y): each side's distance as one sharp DFL bin (left, top, right,
 * bottom, in cells) or, for a fraction, two neighbouring bins sharing the weight; one class logit.
 */
function place(
  out: LevelOutput,
  x: number,
  y: number,
  sides: [number, number, number, number],
  classId: number,
  classLogit: number,
): void {
  const [, , rows, cols] = out.dims;
  const cells = rows * cols;
  const cell = y * cols + x;
  sides.forEach((distance, side) => {
    for (let bin = 0; bin < DFL_BINS; bin++) out.data[(side * DFL_BINS + bin) * cells + cell] = -30;
    const low = Math.floor(distance);
    const share = distance - low;
    // Logits whose softmax puts (1 - share) on `low` and `share` on low + 1.
    out.data[(side * DFL_BINS + low) * cells + cell] = Math.log(1 - share || 1e-12);
    if (share > 0) out.data[(side * DFL_BINS + low + 1) * cells + cell] = Math.log(share);
  });
  out.data[(4 * DFL_BINS + classId) * cells + cell] = classLogit;
}

const options = { numClasses: NUM_CLASSES, scoreThreshold: 0.5, classes: null };

function near(actual: readonly number[], expected: readonly number[], eps = 1e-3): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]) < eps, `${actual.join(', ')} vs ${expected.join(', ')}`),
  );
}

describe('per-level decoding of a head-cut YOLOv8/YOLO11 model (DFL, anchors, sigmoid)', () => {
  // A non-square input, 96x64: levels of 12x8 (stride 8), 6x4 (16) and 3x2 (32) cells.
  const width = 96;
  const height = 64;

  it('decodes a box at every stride: cell centre + 0.5, distances in cells times the stride', () => {
    const levels = [level(12, 8), level(6, 4), level(3, 2)];
    place(levels[0], 5, 3, [1, 2, 3, 4], 0, 2);
    place(levels[1], 4, 1, [0.5, 1.25, 2, 0], 1, 1);
    place(levels[2], 2, 1, [1, 1, 0.5, 0.5], 2, 3);
    const found = decodeLevels(levels, width, height, options);
    assert.equal(found.length, 3);
    // stride 8, centre (5.5, 3.5): [(5.5-1)*8, (3.5-2)*8, (5.5+3)*8, (3.5+4)*8]
    near(found[0].box, [36, 12, 68, 60]);
    near(found[1].box, [(4.5 - 0.5) * 16, (1.5 - 1.25) * 16, (4.5 + 2) * 16, 1.5 * 16]);
    near(found[2].box, [(2.5 - 1) * 32, (1.5 - 1) * 32, (2.5 + 0.5) * 32, (1.5 + 0.5) * 32]);
    assert.deepEqual(
      found.map((d) => d.classId),
      [0, 1, 2],
    );
    near(
      found.map((d) => d.score),
      [1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(-3))],
      1e-9,
    );
  });

  it('keeps only the wanted classes above the threshold, compared as a logit', () => {
    const levels = [level(12, 8), level(6, 4), level(3, 2)];
    place(levels[0], 0, 0, [1, 1, 1, 1], 0, logit(0.55));
    place(levels[0], 1, 0, [1, 1, 1, 1], 0, logit(0.45)); // below 0.5
    place(levels[1], 0, 0, [1, 1, 1, 1], 2, 4); // not a person
    const people = decodeLevels(levels, width, height, { ...options, classes: new Set([0]) });
    assert.equal(people.length, 1);
    assert.ok(Math.abs(people[0].score - 0.55) < 1e-6); // the logit went through float32
    assert.equal(decodeLevels(levels, width, height, options).length, 2);
  });

  it('takes the best class of a cell', () => {
    const levels = [level(12, 8), level(6, 4), level(3, 2)];
    place(levels[2], 0, 0, [1, 1, 1, 1], 0, 1);
    levels[2].data[(4 * DFL_BINS + 1) * 6] = 2.5;
    const [d] = decodeLevels(levels, width, height, options);
    assert.equal(d.classId, 1);
  });

  it('refuses outputs that do not fit the input or the classes', () => {
    assert.throws(() => decodeLevels([level(12, 8)], 100, 64, options), /does not divide the 100x64 input/);
    assert.throws(
      () => decodeLevels([level(12, 8)], width, height, { ...options, numClasses: 80 }),
      /67 channels: expected 64 box channels and 80 class logits/,
    );
    assert.throws(
      () => decodeLevels([{ data: new Float32Array(4), dims: [1, 67, 2] }], width, height, options),
      /must be \[1, 64 \+ classes, h, w\]/,
    );
  });

  it('tells a head cut (several 4-D outputs) from a full export', () => {
    assert.equal(
      isLevelLayout([
        [1, 144, 'h8', 'w8'],
        [1, 144, 'h16', 'w16'],
        [1, 144, 'h32', 'w32'],
      ]),
      true,
    );
    assert.equal(isLevelLayout([[1, 84, 8400]]), false);
    assert.equal(isLevelLayout([[1, 300, 6]]), false);
  });
});
