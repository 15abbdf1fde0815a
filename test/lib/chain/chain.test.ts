import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { brokerOptions, brokerProblem } from '../../../nodes/lib/chain/broker';
import { CameraStates } from '../../../nodes/lib/chain/camera-states';
import { discoveryMessages } from '../../../nodes/lib/chain/discovery';
import { Outbox } from '../../../nodes/lib/chain/outbox';
import { eventItem } from '../../../nodes/lib/chain/payloads';
import {
  cameraTopic,
  checkEnvelope,
  parseTopic,
  PAYLOAD_VERSION,
  storeTopic,
  topicLevel,
} from '../../../nodes/lib/chain/topics';
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

describe('chain: the topic tree and the payloads', () => {
  it('puts every message of a store under store-analytics/<store>/<camera>/...', () => {
    assert.equal(storeTopic('berlin-01', 'status'), 'store-analytics/berlin-01/status');
    assert.equal(cameraTopic('berlin-01', 'door', 'minute'), 'store-analytics/berlin-01/door/minute');
    assert.equal(cameraTopic('b', 'door', 'event', 'crossing'), 'store-analytics/b/door/event/crossing');
    assert.deepEqual(parseTopic('store-analytics/b/door/event/zone'), {
      store: 'b',
      camera: 'door',
      kind: 'event',
      eventKind: 'zone',
    });
    assert.deepEqual(parseTopic('store-analytics/b/status'), { store: 'b', kind: 'status' });
    assert.equal(parseTopic('store-analytics/b/door/other'), null);
    assert.equal(parseTopic('elsewhere/b/door/minute'), null);
  });

  it('refuses ids that would change the topic (/ + # control characters) instead of rewriting them', () => {
    for (const bad of ['a/b', 'a+', '#', 'x\u0000', ' ', ''])
      assert.throws(() => topicLevel(bad, 'store'), /store id/);
    assert.equal(topicLevel('Köln Süd 3', 'camera'), 'Köln Süd 3');
    assert.throws(() => cameraTopic('s', 'c', 'event'), /needs a kind/);
  });

  it('checks a payload against its topic: version, store, camera, seq, time', () => {
    const good = { v: 1, store: 's', camera: 'c', time: new Date(t0).toISOString(), seq: 4 };
    assert.deepEqual(checkEnvelope('store-analytics/s/c/minute', good), good);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, store: 't' }), /names t\/c/);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, v: 2 }), /version 2/);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, seq: 0 }), /seq/);
    assert.throws(() => checkEnvelope('store-analytics/s/c/minute', { ...good, time: 'noon' }), /ISO/);
    assert.throws(() => checkEnvelope('store-analytics/s/status', good), /not a camera topic/);
  });
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

describe('chain: events, state, discovery and broker settings', () => {
  it('turns line-counter and zone-monitor messages into event payloads; others are not events', () => {
    const crossing = eventItem('s', 'crossing', {
      cameraId: 'door',
      line: 'entrance',
      direction: 'in',
      trackId: 7,
      at: t0,
    });
    assert.equal(crossing!.topic, 'store-analytics/s/door/event/crossing');
    assert.deepEqual(crossing!.body, {
      v: 1,
      store: 's',
      camera: 'door',
      time: new Date(t0).toISOString(),
      kind: 'crossing',
      track: 7,
      line: 'entrance',
      direction: 'in',
    });
    const exit = eventItem('s', 'zone', {
      cameraId: 'door',
      zone: 'till',
      event: 'exit',
      trackId: 2,
      at: t0,
      dwellSeconds: 12.5,
    });
    assert.equal(exit!.body.dwell_s, 12.5);
    assert.equal(eventItem('s', 'alert', { cameraId: 'door', at: t0 }), null);
    assert.equal(eventItem('s', 'crossing', { line: 'x' }), null, 'no camera or time: not an event');
  });

  it('sends a camera state when it changed, at most once per interval, the held-back change with a later frame', () => {
    const states = new CameraStates('s', 5000);
    const frame = (people: number, inCount: number) => ({
      tracks: Array.from({ length: people }),
      footfall: { lines: { a: { in: inCount, out: 0 }, b: { in: 1, out: 2 } } },
      zones: { zones: { till: { occupancy: people } } },
    });
    const first = states.offer('door', frame(2, 3), t0)!;
    assert.equal(first.topic, 'store-analytics/s/door/state');
    assert.deepEqual(
      { ...JSON.parse(first.payload), time: '' },
      {
        v: 1,
        store: 's',
        camera: 'door',
        time: '',
        people: 2,
        footfall_in: 4,
        footfall_out: 2,
        zones: { till: 2 },
      },
    );
    assert.equal(states.offer('door', frame(3, 3), t0 + 3000), null, 'changed, but within 5 s of the last');
    assert.ok(
      states.offer('door', frame(3, 3), t0 + 5000),
      'the change goes with a frame after the interval',
    );
    assert.equal(states.offer('door', frame(3, 3), t0 + 11_000), null, 'unchanged');
    assert.ok(states.offer('till', frame(0, 0), t0 + 12_000), 'each camera on its own');
  });

  it('announces each camera to Home Assistant as sensors on its state topic, unavailable with the store', () => {
    const [people, footfall] = discoveryMessages('homeassistant', 'Köln 1', 'door');
    assert.equal(people.topic, 'homeassistant/sensor/K_ln_1_door_people/config');
    const config = JSON.parse(people.payload) as Record<string, unknown>;
    assert.equal(config.state_topic, 'store-analytics/Köln 1/door/state');
    assert.equal(config.availability_topic, 'store-analytics/Köln 1/status');
    assert.equal(config.value_template, '{{ value_json.people }}');
    assert.match(footfall.topic, /_footfall_in\/config$/);
  });

  it('keeps credentials out of the broker URL, and says what a refusal means', () => {
    const { url, options } = brokerOptions({
      url: 'mqtt://broker:1883',
      username: 'u',
      password: 'p',
      clientId: 'c',
    });
    assert.equal(url, 'mqtt://broker:1883');
    assert.equal(options.password, 'p');
    assert.throws(
      () => brokerOptions({ url: 'mqtt://u:secret@broker', clientId: 'c' }),
      (e: Error) => {
        assert.match(e.message, /credentials/);
        assert.doesNotMatch(e.message, /secret/);
        return true;
      },
    );
    assert.throws(() => brokerOptions({ url: 'http://broker', clientId: 'c' }), /mqtt:\/\/ or mqtts:\/\//);
    assert.throws(() => brokerOptions({ url: 'mqtt://broker', caFile: '/x.pem', clientId: 'c' }), /mqtts/);
    assert.throws(
      () => brokerOptions({ url: 'mqtts://broker', caFile: '/nope.pem', clientId: 'c' }),
      /CA file/,
    );
    assert.equal(
      brokerOptions({ url: 'mqtts://broker:8883', clientId: 'c' }).options.rejectUnauthorized,
      true,
    );
    assert.match(
      brokerProblem(Object.assign(new Error('Connection refused: Not authorized'), { code: 5 })),
      /not authorised/,
    );
    assert.match(brokerProblem(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), /unreachable/);
    assert.equal(brokerProblem(new Error('bad pw-123 here'), ['pw-123']), 'broker error: bad *** here');
  });
});
