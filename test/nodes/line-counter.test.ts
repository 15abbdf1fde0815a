import assert from 'node:assert/strict';
import lineCounterNode from '../../nodes/line-counter/line-counter';
import type { FootfallMessage } from '../../nodes/line-counter/line-counter-types';
import { getNode, loadFlow, loggedErrors, received } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';
import { onePersonFrame, useCountsDirectory } from '../../support/counting/counts-directory';

/** A line down the middle of the plaza, as in the counting flow (test/nodes/flows/counting.test.ts). */
const LINES = [{ name: 'middle', from: [0.5, 0.26], to: [0.5, 0.97] }];

describe('line-counter node', function () {
  this.timeout(30000);
  const countsDirectory = useCountsDirectory();

  it('takes lines from a message, and answers bad input with an error', async () => {
    await loadFlow(
      [lineCounterNode],
      [
        {
          id: 'count',
          type: 'line-counter',
          camera: '',
          lines: JSON.stringify(LINES),
          directory: countsDirectory(),
          wires: [['counted'], ['crossings']],
        },
        { id: 'counted', type: 'helper' },
        { id: 'crossings', type: 'helper' },
      ],
    );
    const counted = received<FootfallMessage>('counted');
    // New lines by message, in pixels of a 768x576 frame.
    getNode('count').receive({
      topic: 'areas',
      payload: { lines: [{ name: 'door', from: [100, 0], to: [100, 576] }], size: [768, 576] },
    });
    getNode('count').receive(onePersonFrame('door', 300));
    await waitFor(() => counted.length >= 1, 5000, 'a counted frame');
    assert.deepEqual(Object.keys(counted[0].footfall.lines), ['door']);
    getNode('count').receive({
      topic: 'areas',
      payload: { lines: [{ name: 'x', from: [500, 0], to: [500, 9] }] },
    });
    getNode('count').receive({ tracks: [], frame: {} });
    await waitFor(() => loggedErrors().length >= 2, 5000, 'two errors');
    const errors = loggedErrors().join('\n');
    assert.match(errors, /fractions of the frame/);
    assert.match(errors, /msg.frame.width and height are missing/);
  });
});
