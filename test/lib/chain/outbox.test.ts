import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { Outbox } from '../../../nodes/lib/chain/outbox';
import { cameraTopic, PAYLOAD_VERSION } from '../../../nodes/lib/chain/topics';
import { HistoryDb } from '../../../nodes/lib/history/history-db';
import { testTmp } from '../../../support/assets';

const tmpDb = () => {
  mkdirSync(testTmp, { recursive: true });
  return path.join(mkdtempSync(path.join(testTmp, 'outbox-')), 'history.db');
};
const t0 = Date.parse('2026-12-03T10:00:00Z');
const minute = (store: string, camera: string, i: number) => ({
  kind: 'minute' as const,
  topic: cameraTopic(store, camera, 'minute'),
  body: { v: PAYLOAD_VERSION, store, camera, time: new Date(t0 + i * 60_000).toISOString(), visitors: i },
  at: t0 + i * 60_000,
});

describe('chain: the outbox in the history database', () => {
  it('numbers messages in order, never reuses a number, and puts the seq into the payload', () => {
    const file = tmpDb();
    const db = new HistoryDb(file, t0);
    const outbox = new Outbox(db.db);
    assert.deepEqual(outbox.add([minute('s', 'c', 0), minute('s', 'c', 1)]), [1, 2]);
    outbox.ack([1, 2]);
    db.close();
    // After a restart (and every row acknowledged) the numbers go on.
    const again = new HistoryDb(file, t0 + 1);
    const next = new Outbox(again.db);
    assert.deepEqual(next.add([minute('s', 'c', 2)]), [3]);
    const [m] = next.next(0, 10);
    assert.deepEqual(JSON.parse(m.payload), { ...minute('s', 'c', 2).body, seq: 3 });
    assert.equal(m.topic, 'store-analytics/s/c/minute');
    again.close();
  });

  it('counts the minutes waiting (for the status) and drops what is older than its bound', () => {
    const db = new HistoryDb(tmpDb(), t0);
    const outbox = new Outbox(db.db);
    outbox.add([minute('s', 'a', 0), minute('s', 'b', 0), minute('s', 'a', 1)]);
    outbox.add([{ kind: 'event', topic: cameraTopic('s', 'a', 'event', 'crossing'), body: {}, at: t0 }]);
    assert.deepEqual(outbox.stats(), { messages: 4, minutes: 2, oldest: t0 });
    assert.equal(outbox.prune(1, t0 + 86_400_000 + 30_000), 3, 'the minute-0 rows and the event');
    assert.deepEqual(outbox.stats(), { messages: 1, minutes: 1, oldest: t0 + 60_000 });
    db.close();
  });
});
