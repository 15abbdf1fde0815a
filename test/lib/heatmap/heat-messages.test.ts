import assert from 'node:assert/strict';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';
import { reasonOf, snapshotMessages, snapshotsOf } from '../../../nodes/lib/heatmap/heat-messages';
import type { HeatSnapshot } from '../../../nodes/lib/heatmap/heat-snapshot';
import { kindOf } from '../../../nodes/lib/messages/message-kinds';

const snapshot = (): HeatSnapshot => {
  const grid = new HeatGrid({ sourceWidth: 64, sourceHeight: 48, cellSize: 8 });
  return {
    meta: { cameraId: 'door', startedAt: 1, savedAt: 2, gridCols: grid.cols, gridRows: grid.rows } as never,
    cells: grid.cells,
  };
};

describe('heat messages: what the heatmap sends the store and history', () => {
  it("gives the store a save's snapshots with the message that asked, and history the data only", () => {
    const request = { topic: 'save', req: { path: '/save_heatmap' }, res: {} };
    const { store, history } = snapshotMessages([snapshot()], 'save', request);
    assert.equal(store!.topic, 'heatmap/snapshot');
    assert.equal(store!.reason, 'save');
    assert.equal((store as { res?: unknown }).res, request.res, 'the HTTP request rides to the store');
    assert.deepEqual(Object.keys(history!).sort(), ['payload', 'reason', 'topic']);
    assert.equal(kindOf(store!), 'heat-snapshot');
    assert.equal(kindOf(history!), 'heat-snapshot');
  });

  it('still reaches the store with a request and no camera yet (to be answered), and nothing else', () => {
    const { store, history } = snapshotMessages([], 'save', { topic: 'save' });
    assert.deepEqual(store!.payload, []);
    assert.equal(history, null);
    assert.deepEqual(snapshotMessages([], 'periodic'), { store: null, history: null });
  });

  it("reads the reason, and an older heatmap's `save: true` without one as a save", () => {
    assert.equal(reasonOf({ reason: 'day-end' }), 'day-end');
    assert.equal(reasonOf({ save: true }), 'save');
    assert.equal(reasonOf({ reason: 'bogus' }), 'periodic');
    assert.equal(reasonOf({}), 'periodic');
  });

  it('takes one snapshot or an array, and refuses anything else', () => {
    const s = snapshot();
    assert.deepEqual(snapshotsOf(s), [s]);
    assert.deepEqual(snapshotsOf([s, s]), [s, s]);
    assert.equal(snapshotsOf([s, { meta: {} }]), null);
  });
});
