import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ApplyOutcome } from '../../../nodes/lib/chain/central-db';
import { Spool, type SpooledMessage } from '../../../nodes/lib/chain/spool';
import { SpoolDrain, type CentralSink } from '../../../nodes/lib/chain/spool-drain';
import { testTmp } from '../../../support/assets';
import { waitFor } from '../../../support/processes';

/** A central database in memory: it keeps what it was given, or fails while `down` says why. */
class FakeSink implements CentralSink {
  readonly received: string[] = [];
  readonly schemas: number[] = [];
  down: string | null = null;
  refuse = new Set<string>();
  async write(batch: readonly SpooledMessage[], createSchema: boolean): Promise<ApplyOutcome> {
    if (this.down !== null) throw new Error(this.down);
    if (createSchema) this.schemas.push(batch.length);
    const refused = batch
      .filter((m) => this.refuse.has(m.topic))
      .map((m) => ({ topic: m.topic, reason: 'bad' }));
    for (const m of batch) if (!this.refuse.has(m.topic)) this.received.push(m.payload.toString());
    return { written: batch.length - refused.length, duplicates: 0, refused };
  }
}

describe('the spool drain: spool -> central database in batches, with backoff', () => {
  let dir = '';
  let spool: Spool;
  let sink: FakeSink;
  let errors: Array<{ text: string; topic?: string }>;
  let logs: string[];
  const events = () => ({
    error: (text: string, topic?: string) => errors.push({ text, topic }),
    log: (text: string) => logs.push(text),
    passed: () => undefined,
  });
  const timing = { batch: 3, idleMs: 500, retryMinMs: 2000, retryMaxMs: 10_000 };
  const add = (n: number, topic = 'store-analytics/s1/door/minute') => {
    for (let i = 0; i < n; i++) spool.add(topic, Buffer.from(`m${spool.size}`));
  };

  beforeEach(() => {
    mkdirSync(testTmp, { recursive: true });
    dir = mkdtempSync(path.join(testTmp, 'spool-drain-'));
    spool = new Spool(path.join(dir, 'spool.db'));
    sink = new FakeSink();
    errors = [];
    logs = [];
  });
  afterEach(() => {
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes the schema on the first pass, then writes oldest first, a batch per pass, at once after a full one', async () => {
    const drain = new SpoolDrain(spool, sink, events(), { timing });
    assert.equal(await drain.pass(), 500, 'nothing buffered: the idle wait');
    assert.deepEqual(sink.schemas, [0], 'the schema first, even with nothing to write');
    add(5);
    assert.equal(await drain.pass(), 0, 'a full batch: the next pass at once');
    assert.deepEqual(sink.received, ['m0', 'm1', 'm2']);
    assert.equal(spool.size, 2);
    assert.equal(await drain.pass(), 500);
    assert.deepEqual(sink.received, ['m0', 'm1', 'm2', 'm3', 'm4']);
    assert.equal(spool.size, 0);
    assert.equal(drain.written, 5);
    assert.deepEqual(sink.schemas, [0], 'the schema once');
  });

  it('keeps a failed batch in the spool, waits longer after each failure, says so once, and recovers', async () => {
    const drain = new SpoolDrain(spool, sink, events(), { timing, secrets: ['pg-secret'] });
    add(2);
    sink.down = 'connect ECONNREFUSED password pg-secret';
    assert.deepEqual(
      [await drain.pass(), await drain.pass(), await drain.pass(), await drain.pass()],
      [2000, 4000, 8000, 10_000],
    );
    assert.equal(spool.size, 2, 'nothing left the spool');
    assert.equal(drain.problem, 'connect ECONNREFUSED password ***');
    assert.deepEqual(errors, [
      {
        text: 'PostgreSQL write failed, messages stay buffered: connect ECONNREFUSED password ***',
        topic: undefined,
      },
    ]);
    sink.down = null;
    assert.equal(await drain.pass(), 500);
    assert.equal(spool.size, 0);
    assert.equal(drain.problem, '');
    assert.deepEqual(logs, ['PostgreSQL takes writes again: the buffered messages are written']);
    sink.down = 'again';
    add(1);
    assert.equal(await drain.pass(), 2000, 'the wait starts over after a success');
  });

  it('reports refused messages once per reason, counts them, and does not retry them', async () => {
    const drain = new SpoolDrain(spool, sink, events(), { timing });
    sink.refuse.add('elsewhere/x');
    add(2, 'elsewhere/x');
    await drain.pass();
    assert.equal(drain.refused, 2);
    assert.equal(spool.size, 0);
    assert.deepEqual(errors, [{ text: 'a message on elsewhere/x was refused: bad', topic: 'elsewhere/x' }]);
  });

  it('a spool problem shows until the next good pass, behind a database problem; an idle pass asks nothing of the database', async () => {
    const drain = new SpoolDrain(spool, sink, events(), { timing });
    await drain.pass();
    drain.noteProblem('spool write failed: disk full');
    assert.equal(drain.problem, 'spool write failed: disk full');
    sink.down = 'not asked';
    await drain.pass();
    assert.equal(drain.problem, '');
    sink.down = 'down';
    add(1);
    await drain.pass();
    drain.noteProblem('spool write failed: disk full');
    assert.equal(drain.problem, 'down');
  });

  it('runs pass after pass until stopped; stop waits for the pass under way', async () => {
    let passes = 0;
    const drain = new SpoolDrain(
      spool,
      sink,
      { ...events(), passed: () => passes++ },
      { timing: { ...timing, idleMs: 5 } },
    );
    drain.start();
    add(4);
    await waitFor(() => spool.size === 0, 5000, 'the spool emptied');
    await drain.stop();
    const after = passes;
    add(1);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(passes, after, 'no pass after stop');
    assert.equal(spool.size, 1);
  });
});
