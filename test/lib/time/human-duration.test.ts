import { strict as assert } from 'node:assert';
import { humanDuration } from '../../../nodes/lib/time/human-duration';

describe('human duration', () => {
  it('writes durations as staff read them', () => {
    assert.deepEqual([0, 45, 61, 12 * 60, 3600, 2 * 3600 + 15 * 60, 26 * 3600].map(humanDuration), [
      '0 s',
      '45 s',
      '1 min',
      '12 min',
      '1 h',
      '2 h 15 min',
      '1 d 2 h',
    ]);
  });
});
