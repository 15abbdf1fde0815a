import assert from 'node:assert/strict';
import { VisitorCount } from '../../../nodes/lib/heatmap/visitor-count';

describe('visitor count', () => {
  it("follows the tracker's unique count from the first message on", () => {
    const visitors = new VisitorCount();
    for (const unique of [0, 1, 1, 3, 4]) visitors.observe(unique);
    assert.equal(visitors.total, 4);
  });

  it('keeps counting when the tracker starts again from 0 (tracker redeployed or reset)', () => {
    const visitors = new VisitorCount();
    for (const unique of [0, 5, 1, 2]) visitors.observe(unique);
    assert.equal(visitors.total, 7);
  });

  it('adds the visitors of a restored day, and does not count the tracker’s earlier people again', () => {
    const visitors = new VisitorCount();
    visitors.restore(12);
    // The heatmap alone was redeployed: the tracker is still at 12 (already in the snapshot).
    for (const unique of [12, 12, 13]) visitors.observe(unique);
    assert.equal(visitors.total, 13);
  });

  it('starts again from 0 at a reset', () => {
    const visitors = new VisitorCount();
    for (const unique of [0, 3]) visitors.observe(unique);
    visitors.reset();
    visitors.observe(4);
    assert.equal(visitors.total, 1);
  });
});
