import assert from 'node:assert/strict';
import path from 'node:path';
import { ClaimRegistry, normalisePath } from '../../../nodes/lib/storage/file-claims';

const history = { id: 'h1', label: 'analytics-history "history per minute" (node h1)' };
const copy = { id: 'h2', label: 'analytics-history "history per minute" (node h2)' };

describe('file claims (one writer per file in a runtime)', () => {
  it('refuses a second node on the same file and names the node that holds it', () => {
    const claims = new ClaimRegistry();
    const first = claims.claim('history', '/data/history.db', history);
    assert.equal(first.ok, true);
    const second = claims.claim('history', '/data/history.db', copy);
    assert.deepEqual(second, { ok: false, holder: history, target: '/data/history.db' });
  });

  it('compares the paths as written to disk: relative segments, doubled and trailing slashes', () => {
    const claims = new ClaimRegistry();
    assert.equal(claims.claim('store', '/data/saved_heatmaps/', history).ok, true);
    for (const same of ['/data/saved_heatmaps', '/data//saved_heatmaps', '/data/x/../saved_heatmaps/'])
      assert.equal(claims.claim('store', same, copy).ok, false, same);
    assert.equal(normalisePath('data/history.db'), path.join(process.cwd(), 'data', 'history.db'));
  });

  it('keeps kinds apart: what one node writes in a file does not stop another kind of node', () => {
    const claims = new ClaimRegistry();
    assert.equal(claims.claim('history', '/data/history.db', history).ok, true);
    assert.equal(claims.claim('uplink outbox', '/data/history.db', copy).ok, true);
    assert.equal(claims.claim('history', '/data/other.db', copy).ok, true);
  });

  it('frees the file at release, so the next node (or the next deploy) takes it', () => {
    const claims = new ClaimRegistry();
    const first = claims.claim('history', '/data/history.db', history);
    assert.ok(first.ok);
    first.release();
    first.release(); // twice: no harm
    assert.equal(claims.size, 0);
    assert.equal(claims.claim('history', '/data/history.db', copy).ok, true);
    assert.deepEqual(claims.holder('history', '/data/history.db'), copy);
  });

  it("lets a node's new instance take its own claim over; the old instance's late release leaves it", () => {
    const claims = new ClaimRegistry();
    const old = claims.claim('history', '/data/history.db', history);
    const renewed = claims.claim('history', '/data/history.db', history);
    assert.ok(old.ok && renewed.ok);
    old.release(); // the old instance closed after the new one started
    assert.deepEqual(claims.holder('history', '/data/history.db'), history);
    assert.equal(claims.claim('history', '/data/history.db', copy).ok, false);
    renewed.release();
    assert.equal(claims.holder('history', '/data/history.db'), null);
  });
});
