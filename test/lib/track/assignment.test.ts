import assert from 'node:assert/strict';
import { assign } from '../../../nodes/lib/track/assignment';

describe('assignment (Hungarian)', () => {
  it('finds the cheapest one-to-one matching, not the greedy one', () => {
    const { matches } = assign(
      [
        [1, 2],
        [2, 9],
      ],
      10,
    );
    assert.deepEqual(matches, [
      [0, 1],
      [1, 0],
    ]);
  });

  it('leaves pairs above the maximum cost unmatched, for any shape', () => {
    const result = assign(
      [
        [0.1, 5, 5],
        [5, 5, 0.3],
      ],
      1,
    );
    assert.deepEqual(result, {
      matches: [
        [0, 0],
        [1, 2],
      ],
      unmatchedRows: [],
      unmatchedCols: [1],
    });
    const tall = assign([[5], [0.2], [0.1]], 1);
    assert.deepEqual(tall, { matches: [[2, 0]], unmatchedRows: [0, 1], unmatchedCols: [] });
    assert.deepEqual(assign([], 1), { matches: [], unmatchedRows: [], unmatchedCols: [] });
  });
});
