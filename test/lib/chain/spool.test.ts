import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Spool } from '../../../nodes/lib/chain/spool';
import { testTmp } from '../../../support/assets';

describe("the spool: head office's inbox on its own disk", () => {
  let dir = '';
  beforeEach(() => {
    mkdirSync(testTmp, { recursive: true });
    dir = mkdtempSync(path.join(testTmp, 'spool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the oldest first, removes through an id, and keeps what is left across a restart', () => {
    const file = path.join(dir, 'spool.db');
    const spool = new Spool(file);
    spool.add('t/a', Buffer.from('one'), 1000);
    spool.add('t/b', Buffer.from('two'), 2000);
    spool.add('t/c', Buffer.from('three'), 3000);
    const first = spool.next(2);
    assert.deepEqual(
      first.map((m) => [m.topic, m.payload.toString(), m.receivedAt]),
      [
        ['t/a', 'one', 1000],
        ['t/b', 'two', 2000],
      ],
    );
    spool.removeThrough(first[1].id);
    assert.equal(spool.size, 1);
    spool.close();
    const again = new Spool(file);
    assert.deepEqual(
      again.next(10).map((m) => m.topic),
      ['t/c'],
    );
    again.close();
  });
});
