import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { applyMessages, createCentralSchema } from '../../../nodes/lib/chain/central-db';
import { chainCsv, chainReport } from '../../../nodes/lib/chain/chain-report';
import { minuteItem } from '../../../nodes/lib/chain/payloads';
import { dayStart } from '../../../nodes/lib/time/local-time';
import { freeLoopbackPort } from '../../../tools/servers/ports';
import { Postgres } from '../../../tools/servers/postgres';

/** A message as a store sends it: a stored minute through the outbox's payload, its seq added. */
function minuteMessage(
  store: string,
  camera: string,
  minute: number,
  seq: number,
  visitors: number,
  inCount?: number,
) {
  const item = minuteItem(store, {
    cameraId: camera,
    minute,
    coveredSeconds: 60,
    peopleSeconds: 120,
    peopleMax: 3,
    visitors,
    activitySeconds: 10,
    lines: inCount === undefined ? {} : { door: { in: inCount, out: 1 } },
    zones: {},
  });
  return { topic: item.topic, payload: Buffer.from(JSON.stringify({ ...item.body, seq })) };
}

describe('head office: idempotent writes into a real PostgreSQL', function () {
  this.timeout(60_000);
  const pg = new Postgres(0);
  let db: Client;
  const now = Date.parse('2026-12-03T15:30:00Z');
  const today = dayStart(now) + 9 * 3_600_000;

  before(async function () {
    pg.port = await freeLoopbackPort();
    await pg.start();
    db = await pg.client();
    await createCentralSchema(db);
    await createCentralSchema(db); // again: the tables are made once
  });
  after(async () => {
    await db?.end();
    await pg.remove();
  });

  it('upserts a minute on (store, camera, minute), keeps the highest seq, counts a message seen again', async () => {
    const first = await applyMessages(db, [minuteMessage('s1', 'door', today, 1, 2, 1)]);
    assert.deepEqual(first, { written: 1, duplicates: 0, refused: [] });
    // The minute grew (a later write): its whole again with a higher seq; then the old one once more.
    const again = await applyMessages(db, [
      minuteMessage('s1', 'door', today, 5, 4, 3),
      minuteMessage('s1', 'door', today, 1, 2, 1),
      minuteMessage('s1', 'door', today, 5, 4, 3),
    ]);
    assert.deepEqual(again, { written: 1, duplicates: 2, refused: [] });
    const rows = (
      await db.query('SELECT visitors, footfall_in, seq FROM sa_minutes WHERE store = $1', ['s1'])
    ).rows;
    assert.deepEqual(rows, [{ visitors: 4, footfall_in: 3, seq: '5' }]);
    const store = (
      await db.query('SELECT duplicates, minute_messages FROM sa_stores WHERE store = $1', ['s1'])
    ).rows;
    assert.deepEqual(store, [{ duplicates: '2', minute_messages: '4' }]);
  });

  it('keys events by (store, seq), keeps status and state, and refuses what does not read (nothing else of the batch lost)', async () => {
    const event = (seq: number) => ({
      topic: 'store-analytics/s1/door/event/crossing',
      payload: Buffer.from(
        JSON.stringify({
          v: 1,
          store: 's1',
          camera: 'door',
          time: new Date(today).toISOString(),
          kind: 'crossing',
          track: 3,
          line: 'door',
          direction: 'in',
          seq,
        }),
      ),
    });
    const out = await applyMessages(db, [
      event(7),
      event(7),
      { topic: 'store-analytics/s1/status', payload: Buffer.from('online') },
      { topic: 'store-analytics/s1/door/minute', payload: Buffer.from('{not json') },
      {
        topic: 'store-analytics/s1/door/minute',
        payload: Buffer.from(
          JSON.stringify({ v: 1, store: 's2', camera: 'door', time: new Date(today).toISOString(), seq: 9 }),
        ),
      },
      {
        topic: 'store-analytics/s1/door/state',
        payload: Buffer.from(
          JSON.stringify({
            v: 1,
            store: 's1',
            camera: 'door',
            time: new Date(today).toISOString(),
            people: 2,
          }),
        ),
      },
    ]);
    assert.equal(out.written, 3, 'the event once, the status, the state');
    assert.equal(out.duplicates, 1);
    assert.deepEqual(
      out.refused.map((r) => r.reason),
      [
        'the payload is not JSON',
        'store-analytics/s1/door/minute: the payload names s2/door, the topic s1/door',
      ],
    );
    assert.equal((await db.query('SELECT count(*)::int AS n FROM sa_events')).rows[0].n, 1);
    assert.equal((await db.query("SELECT online FROM sa_stores WHERE store = 's1'")).rows[0].online, true);
  });

  it('writes a batch whole or not at all', async () => {
    await assert.rejects(
      applyMessages(db, [
        minuteMessage('s3', 'door', today, 1, 1),
        // A number PostgreSQL's integer column cannot hold: the whole batch rolls back.
        minuteMessage('s3', 'door', today + 60_000, 2, 2 ** 40),
      ]),
    );
    assert.equal(
      (await db.query("SELECT count(*)::int AS n FROM sa_minutes WHERE store = 's3'")).rows[0].n,
      0,
    );
  });

  it("reports each store's footfall today against the same weekday last week, and the day as CSV", async () => {
    const weekAgo = dayStart(now - 7 * 86_400_000) + 9 * 3_600_000;
    await applyMessages(db, [
      // s1: a door line, 3 in today (from the first test), 2 in last week: +50 %.
      minuteMessage('s1', 'door', weekAgo, 100, 9, 2),
      // s2: no lines (visitors count), 10 today against 20 last week: -50 %.
      minuteMessage('s2', 'floor', today, 1, 10),
      minuteMessage('s2', 'floor', weekAgo, 2, 20),
      // After the time of day now, last week: not in the comparison.
      minuteMessage('s2', 'floor', weekAgo + 8 * 3_600_000, 3, 50),
      { topic: 'store-analytics/s2/status', payload: Buffer.from('offline') },
    ]);
    const report = await chainReport(db, now);
    const byStore = Object.fromEntries(report.stores.map((s) => [s.store, s]));
    assert.deepEqual(
      [byStore.s1.footfall, byStore.s1.lastWeek, byStore.s1.change, byStore.s1.online],
      [3, 2, 0.5, true],
    );
    assert.deepEqual(
      [byStore.s2.footfall, byStore.s2.lastWeek, byStore.s2.change, byStore.s2.online],
      [10, 20, -0.5, false],
    );
    assert.deepEqual(
      report.top.map((s) => s.store),
      ['s1', 's2'],
    );
    assert.equal(report.bottom[0].store, 's2');
    assert.equal(report.online, 1);
    const { csv } = await chainCsv(db, { step: 'hour' }, now);
    const lines = csv.trim().split('\r\n');
    assert.equal(
      lines[0],
      'store,camera,start,covered_s,people_mean,people_max,visitors,footfall_in,footfall_out',
    );
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',').filter((_, i) => [0, 1, 6, 7].includes(i))),
      [
        ['s1', 'door', '4', '3'],
        ['s2', 'floor', '10', ''],
      ],
    );
    await assert.rejects(chainCsv(db, { date: '2026-13-01' }), /YYYY-MM-DD/);
  });
});
