import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import lineCounterNode from '../../nodes/line-counter/line-counter';
import type { FootfallMessage } from '../../nodes/line-counter/line-counter-types';
import { testTmp } from '../../support/assets';
import { getNode, helper, loadFlow, loggedErrors } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';

/** A line down the middle of the plaza, as in the counting flow (test/nodes/flows/counting.test.ts). */
const LINES = [{ name: 'middle', from: [0.5, 0.26], to: [0.5, 0.97] }];

function collect<T>(id: string): T[] {
  const list: T[] = [];
  getNode(id).on('input', ((msg: T) => list.push(msg)) as never);
  return list;
}

const frame = (sourceId: string, x: number) => ({
  frame: { sourceId, width: 768, height: 576, capturedAt: Date.now() },
  tracks: [{ id: 1, footPoint: [x, 400] }],
});

describe('line-counter node', function () {
  this.timeout(30000);
  let directory = '';
  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(() => {
    mkdirSync(testTmp, { recursive: true });
    directory = mkdtempSync(path.join(testTmp, 'counts-'));
  });
  afterEach(async () => {
    await helper.unload();
    rmSync(directory, { recursive: true, force: true });
  });

  it('takes lines from a message, and answers bad input with an error', async () => {
    await loadFlow(
      [lineCounterNode],
      [
        {
          id: 'count',
          type: 'line-counter',
          camera: '',
          lines: JSON.stringify(LINES),
          directory,
          wires: [['counted'], ['crossings']],
        },
        { id: 'counted', type: 'helper' },
        { id: 'crossings', type: 'helper' },
      ],
    );
    const counted = collect<FootfallMessage>('counted');
    // New lines by message, in pixels of a 768x576 frame.
    getNode('count').receive({
      topic: 'areas',
      payload: { lines: [{ name: 'door', from: [100, 0], to: [100, 576] }], size: [768, 576] },
    });
    getNode('count').receive(frame('door', 300));
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
