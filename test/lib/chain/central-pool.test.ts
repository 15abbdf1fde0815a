import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { PoolClient } from 'pg';
import { CENTRAL_SCHEMA } from '../../../nodes/lib/chain/central-db';
import { centralSink, withCentralConnection, type CentralPool } from '../../../nodes/lib/chain/central-pool';

/** A pool of one connection that records its queries and whether it was given back. */
function fakePool() {
  const conn = Object.assign(new EventEmitter(), {
    queries: [] as string[],
    released: 0,
    release() {
      conn.released++;
    },
    async query(text: string) {
      conn.queries.push(text);
      return { rows: [], rowCount: 0 };
    },
  });
  const pool: CentralPool = { connect: async () => conn as unknown as PoolClient };
  return { pool, conn };
}

describe('central pool: connections to the central database', () => {
  it('gives the connection back and stops guarding its error event, also when the work fails', async () => {
    const { pool, conn } = fakePool();
    await assert.rejects(
      withCentralConnection(pool, async () => {
        assert.equal(conn.listenerCount('error'), 1, 'a cut connection fails the query, not the process');
        throw new Error('query failed');
      }),
      /query failed/,
    );
    assert.equal(conn.released, 1);
    assert.equal(conn.listenerCount('error'), 0);
  });

  it("the drain's sink makes the schema only when asked, and an empty batch writes nothing", async () => {
    const { pool, conn } = fakePool();
    const outcome = await centralSink(pool).write([], true);
    assert.deepEqual(outcome, { written: 0, duplicates: 0, refused: [] });
    assert.deepEqual(conn.queries, [CENTRAL_SCHEMA]);
    await centralSink(pool).write([], false);
    assert.deepEqual(conn.queries, [CENTRAL_SCHEMA]);
    assert.equal(conn.released, 2);
  });
});
