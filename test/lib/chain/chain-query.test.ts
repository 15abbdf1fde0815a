import assert from 'node:assert/strict';
import type { PoolClient } from 'pg';
import type { CentralPool } from '../../../nodes/lib/chain/central-pool';
import { answerChainQuery, chainQueryOf } from '../../../nodes/lib/chain/chain-query';
import type { HttpRequestMessage } from '../../../nodes/lib/messages/message-kinds';

/** A pool whose connect fails with `connectError`, or whose queries fail with `queryError`. */
function fakePool(o: {
  connectError?: Error;
  queryError?: Error;
  rows?: unknown[];
}): CentralPool & { released: number } {
  const pool = {
    released: 0,
    async connect(): Promise<PoolClient> {
      if (o.connectError) throw o.connectError;
      return {
        on: () => undefined,
        off: () => undefined,
        release: () => void pool.released++,
        query: async () => {
          if (o.queryError) throw o.queryError;
          return { rows: o.rows ?? [] };
        },
      } as unknown as PoolClient;
    },
  };
  return pool;
}

const http = (path: string, query: Record<string, unknown> = {}): HttpRequestMessage => ({
  req: { path, query },
  res: {},
});

describe('the chain queries: what a message asks head office, and the answer', () => {
  it('reads the question from msg.topic (fields in the payload) or from the HTTP path (fields in the query string)', () => {
    assert.deepEqual(chainQueryOf({ topic: 'chain/report' }), { format: 'json', query: {}, fromHttp: false });
    assert.deepEqual(chainQueryOf({ topic: 'chain/csv', payload: { date: '2026-12-01' } }), {
      format: 'csv',
      query: { date: '2026-12-01' },
      fromHttp: false,
    });
    assert.deepEqual(chainQueryOf(http('/api/chain')), { format: 'json', query: {}, fromHttp: true });
    assert.deepEqual(chainQueryOf(http('/api/chain.csv', { step: 'day' })), {
      format: 'csv',
      query: { step: 'day' },
      fromHttp: true,
    });
    assert.equal(chainQueryOf({ topic: 'history' }), null);
    assert.equal(chainQueryOf(http('/api/chains')), null);
    assert.equal(chainQueryOf(http('/api/history')), null);
  });

  it('answers a JSON error as JSON: a bad question is 400, a failed query 500, reported when a flow asked or on a 5xx', async () => {
    const failed = await answerChainQuery(fakePool({ queryError: new Error('relation gone') }), {
      format: 'json',
      query: {},
      fromHttp: true,
    });
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.type, 'application/json; charset=utf-8');
    assert.deepEqual(failed.payload, { error: 'relation gone' });
    assert.equal(failed.error, 'chain query failed: relation gone');
    const bad = await answerChainQuery(fakePool({}), {
      format: 'csv',
      query: { step: 'week' },
      fromHttp: true,
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.type, 'text/plain; charset=utf-8');
    assert.equal(bad.payload, 'step must be hour or day, not "week"\n');
    assert.equal(bad.error, undefined, 'a caller over HTTP reads it in the answer');
    const fromFlow = await answerChainQuery(fakePool({}), {
      format: 'csv',
      query: { step: 'week' },
      fromHttp: false,
    });
    assert.match(fromFlow.error ?? '', /step must be hour or day/);
  });

  it("PostgreSQL unreachable: 503 in the question's format, secrets hidden", async () => {
    const pool = fakePool({ connectError: new Error('password pg-secret refused') });
    const json = await answerChainQuery(pool, { format: 'json', query: {}, fromHttp: true }, ['pg-secret']);
    assert.equal(json.statusCode, 503);
    assert.equal(json.type, 'application/json; charset=utf-8');
    assert.deepEqual(json.payload, { error: 'PostgreSQL unreachable: password *** refused' });
    assert.equal(json.error, undefined);
    const csv = await answerChainQuery(pool, { format: 'csv', query: {}, fromHttp: false }, ['pg-secret']);
    assert.equal(csv.type, 'text/plain; charset=utf-8');
    assert.equal(csv.payload, 'PostgreSQL unreachable: password *** refused\n');
    assert.equal(csv.error, 'PostgreSQL unreachable: password *** refused');
  });

  it('answers the CSV with its file name, and gives the connection back', async () => {
    const pool = fakePool({ rows: [] });
    const a = await answerChainQuery(pool, {
      format: 'csv',
      query: { date: '2026-12-01', step: 'day' },
      fromHttp: true,
    });
    assert.equal(a.statusCode, 200);
    assert.equal(a.type, 'text/csv; charset=utf-8');
    assert.match(String(a.payload), /^store,camera,start/);
    assert.deepEqual(a.headers, { 'content-disposition': 'attachment; filename="chain-2026-12-01-day.csv"' });
    assert.equal(pool.released, 1);
  });
});
