import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { Outbox } from '../../../nodes/lib/chain/outbox';
import { cameraTopic, PAYLOAD_VERSION } from '../../../nodes/lib/chain/topics';
import { PublishClient, Uplink } from '../../../nodes/lib/chain/uplink';
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

/** A broker connection the test drives: it holds publishes until told to acknowledge or drop. */
class FakeClient implements PublishClient {
  connected = true;
  sent: Array<{ topic: string; payload: string; ack: (err?: Error) => void }> = [];
  publish(topic: string, payload: string, _o: unknown, cb: (err?: Error | null) => void) {
    this.sent.push({ topic, payload, ack: (err) => cb(err) });
  }
  seqs = () => this.sent.map((s) => (JSON.parse(s.payload) as { seq: number }).seq);
}

describe('chain: the uplink sends the outbox in order and resends what was not acknowledged', () => {
  it('keeps at most a window in flight, and a message leaves the outbox only when acknowledged', () => {
    const db = new HistoryDb(tmpDb(), t0);
    const outbox = new Outbox(db.db);
    outbox.add(Array.from({ length: 10 }, (_, i) => minute('s', 'c', i)));
    const client = new FakeClient();
    const uplink = new Uplink(outbox, client, 4);
    uplink.pump();
    assert.deepEqual(client.seqs(), [1, 2, 3, 4]);
    client.sent[0].ack();
    client.sent[1].ack();
    assert.deepEqual(client.seqs(), [1, 2, 3, 4, 5, 6], 'each acknowledgement makes room for one more');
    assert.equal(outbox.stats().messages, 8);
    db.close();
  });

  it('after a lost connection sends every unacknowledged message again, oldest first, nothing skipped', () => {
    const db = new HistoryDb(tmpDb(), t0);
    const outbox = new Outbox(db.db);
    outbox.add(Array.from({ length: 6 }, (_, i) => minute('s', 'c', i)));
    const client = new FakeClient();
    const uplink = new Uplink(outbox, client, 3);
    uplink.pump();
    client.sent[0].ack(); // 1 acknowledged; 2 and 3 in flight, 4 sent after the ack
    client.connected = false;
    uplink.rewind();
    uplink.pump();
    assert.deepEqual(client.seqs(), [1, 2, 3, 4], 'nothing is sent while disconnected');
    outbox.add([minute('s', 'c', 6)]); // the outbox keeps filling
    client.connected = true;
    const before = client.sent.length;
    uplink.pump();
    assert.deepEqual(client.seqs().slice(before), [2, 3, 4], 'resent from the oldest unacknowledged');
    // A late acknowledgement of a message sent before the drop still removes it.
    client.sent[2].ack();
    for (const s of client.sent.slice(before)) s.ack();
    // Drain the rest.
    for (let i = 0; i < 10 && outbox.stats().messages > 0; i++) {
      uplink.pump();
      for (const s of client.sent) s.ack();
    }
    assert.equal(outbox.stats().messages, 0);
    const received = new Set(client.seqs());
    assert.deepEqual(
      [...received].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7],
      'every message reached the broker',
    );
    db.close();
  });

  it('a publish that fails (broker refused, connection reset) is sent again', () => {
    const db = new HistoryDb(tmpDb(), t0);
    const outbox = new Outbox(db.db);
    outbox.add([minute('s', 'c', 0)]);
    const client = new FakeClient();
    const uplink = new Uplink(outbox, client, 3);
    uplink.pump();
    client.sent[0].ack(new Error('connection reset'));
    assert.equal(outbox.stats().messages, 1);
    uplink.pump();
    assert.deepEqual(client.seqs(), [1, 1]);
    client.sent[1].ack();
    assert.equal(outbox.stats().messages, 0);
    db.close();
  });
});
