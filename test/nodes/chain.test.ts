import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import type { Client } from 'pg';
import historyNode from '../../nodes/analytics-history/analytics-history';
import headOfficeNode from '../../nodes/head-office/head-office';
import uplinkNode from '../../nodes/store-uplink/store-uplink';
import { Mosquitto } from '../../tools/servers/mosquitto';
import { freeLoopbackPort } from '../../tools/servers/ports';
import { Postgres } from '../../tools/servers/postgres';
import { testTmp } from '../../support/assets';
import {
  getNode,
  helper,
  loadFlow,
  loggedErrors,
  loggedText,
  recordStatuses,
} from '../../support/node-red/test-helper';
import { sleep, waitFor } from '../../support/processes';

const PASSWORD = 'chain-test-pw-8c1f';

/**
 * A store (analytics-history + store-uplink) and head office (head-office) in one Node-RED test
 * runtime, against a real Mosquitto and a real PostgreSQL. Frames carry capture times of minutes
 * ago, so history writes a minute as soon as the next one's first frame comes: no waiting for the
 * clock. What the real runtimes on the clip do is `npm run chain` (and test/e2e/chain.test.ts).
 */
describe('a store and head office over a real Mosquitto and PostgreSQL', function () {
  this.timeout(120_000);
  let dir = '';
  let broker: Mosquitto;
  const pg = new Postgres(0);
  let db: Client;

  before(async () => {
    mkdirSync(testTmp, { recursive: true });
    dir = mkdtempSync(path.join(testTmp, 'chain-node-'));
    broker = new Mosquitto({
      dir: path.join(dir, 'mosquitto'),
      port: await freeLoopbackPort(),
      user: { name: 'store', password: PASSWORD },
    });
    pg.port = await freeLoopbackPort();
    await pg.start();
    db = await pg.client();
    db.on('error', () => undefined); // PostgreSQL is stopped on purpose below
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
    await db?.end();
    await broker?.stop();
    await pg.remove();
  });
  afterEach(() => helper.unload());

  let run = 0;
  /** The store and head office nodes; the head office's spool and the store's database in a folder of their own. */
  async function load(store: { password: string; url?: string; caFile?: string }) {
    run++;
    const file = path.join(dir, `run-${run}`, 'history.db');
    await loadFlow(
      [historyNode, uplinkNode, headOfficeNode],
      [
        { id: 'h', type: 'analytics-history', file, wires: [[], [], []] },
        {
          id: 'u',
          type: 'store-uplink',
          store: `store-${run}`,
          url: store.url ?? broker.url,
          caFile: store.caFile ?? '',
          file,
          keepDays: 7,
          discovery: true,
          discoveryPrefix: 'homeassistant',
        },
        {
          id: 'o',
          type: 'head-office',
          url: broker.url,
          database: pg.url,
          file: path.join(dir, `run-${run}`, 'spool.db'),
          clientId: `head-office-${run}`,
          wires: [[], ['answers']],
        },
        { id: 'answers', type: 'helper' },
      ],
      {
        u: { username: 'store', password: store.password },
        o: { username: 'store', password: PASSWORD },
      },
    );
    return {
      file,
      store: `store-${run}`,
      uplink: recordStatuses(getNode('u')),
      office: recordStatuses(getNode('o')),
    };
  }

  const minute0 = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
  /** Frames of `minutes` whole minutes from `first`, then the next minute's first frame (history writes that minute too: it is long over). */
  function feed(first: number, minutes: number, people = 2): void {
    for (let m = first; m < first + minutes; m++) {
      for (let s = 0; s < 60; s += 2) {
        const msg = {
          frame: { sourceId: 'door', capturedAt: minute0 + m * 60_000 + s * 1000 },
          tracks: Array.from({ length: people + (m % 3) }, (_, i) => ({ id: i })),
          footfall: { day: 'd', lines: { entrance: { in: m * 2 + (s > 30 ? 1 : 0), out: m } } },
        };
        getNode('h').receive(msg);
        getNode('u').receive(msg);
      }
    }
    getNode('h').receive({
      frame: { sourceId: 'door', capturedAt: minute0 + (first + minutes) * 60_000 },
      tracks: [],
    });
  }

  /** The store's minute rows (camera door) as head office should have them. */
  function storeRows(file: string) {
    const sqlite = new Database(file, { readonly: true });
    try {
      return (
        sqlite
          .prepare(
            'SELECT minute * 60000 AS minute, visitors, people_max, covered_s FROM minutes ORDER BY minute',
          )
          .all() as Array<{ minute: number; visitors: number; people_max: number; covered_s: number }>
      ).map((r) => ({ ...r, covered_s: Math.round(r.covered_s * 1000) / 1000 }));
    } finally {
      sqlite.close();
    }
  }
  const centralRows = async (store: string) =>
    (
      await db.query(
        `SELECT (extract(epoch FROM minute) * 1000)::bigint AS minute, visitors, people_max, covered_s
         FROM sa_minutes WHERE store = $1 AND camera = 'door' ORDER BY minute`,
        [store],
      )
    ).rows.map((r) => ({
      minute: Number(r.minute),
      visitors: r.visitors,
      people_max: r.people_max,
      covered_s: Math.round(r.covered_s * 1000) / 1000,
    }));
  const queued = (file: string) => {
    const sqlite = new Database(file, { readonly: true });
    try {
      return sqlite.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    } finally {
      sqlite.close();
    }
  };
  const statusText = (statuses: Array<{ text?: string }>) => statuses.map((s) => s.text ?? '').join(' | ');

  it('broker unreachable at start, then up; stopped midway; PostgreSQL down at head office: every minute arrives once, in order', async () => {
    const { file, store, uplink, office } = await load({ password: PASSWORD });
    // The broker is not running yet: the store keeps its minutes.
    feed(0, 3);
    await sleep(3000);
    console.log('DEBUG', storeRows(file), loggedText());
    await waitFor(() => storeRows(file).length === 4, 10_000, 'four minutes in history');
    await waitFor(() => /broker unreachable/.test(statusText(uplink)), 10_000, 'the unreachable status');
    assert.ok(queued(file) >= 3, 'queued in the outbox');
    await waitFor(
      () => /4 min queued/.test(statusText(uplink)),
      5000,
      'the status counts the minutes queued',
    );

    await broker.start();
    await waitFor(
      async () => (await centralRows(store)).length === 4,
      30_000,
      'the three minutes at head office',
    );
    assert.deepEqual(await centralRows(store), storeRows(file));

    // The broker goes away for a while; minutes go on.
    await broker.stop();
    feed(3, 2);
    await waitFor(() => storeRows(file).length === 6, 10_000, 'six minutes in history');
    await sleep(1000);
    await broker.start();

    // PostgreSQL stops under head office: it buffers what it received.
    await waitFor(async () => (await centralRows(store)).length === 6, 30_000, 'six minutes at head office');
    await pg.stop();
    feed(5, 2);
    await waitFor(
      () => /PostgreSQL: .*buffered/.test(statusText(office)),
      30_000,
      'head office says it buffers',
    );
    assert.match(loggedText(), /PostgreSQL write failed, messages stay buffered/);
    await pg.start();
    await db.end().catch(() => undefined);
    db = await pg.client();
    db.on('error', () => undefined);
    await waitFor(
      async () => (await centralRows(store)).length === 8,
      60_000,
      'seven minutes at head office',
    );
    assert.deepEqual(
      await centralRows(store),
      storeRows(file),
      'every minute, with the values the store has',
    );
    await waitFor(() => queued(file) === 0, 10_000, 'the outbox emptied');
    const [row] = (
      await db.query('SELECT footfall_in, lines FROM sa_minutes WHERE store = $1 ORDER BY minute LIMIT 1', [
        store,
      ])
    ).rows;
    assert.deepEqual(row.lines, { entrance: { in: 1, out: 0 } });
    // The Chain tab's question, from a flow: answered on the second output.
    const answered = new Promise<{
      statusCode: number;
      payload: { stores: Array<{ store: string; cameras: number }> };
    }>((resolve) => getNode('answers').on('input', resolve as never));
    getNode('o').receive({ topic: 'chain/report' });
    const report = await answered;
    assert.equal(report.statusCode, 200);
    assert.ok(report.payload.stores.some((s) => s.store === store));
    getNode('o').receive({ topic: 'something else' });
    await waitFor(
      () => loggedErrors().some((e) => /head-office answers msg.topic "chain\/report"/.test(e)),
      5000,
      'the error for an unknown message',
    );
    const retained = (await db.query('SELECT state FROM sa_state WHERE store = $1', [store])).rows;
    assert.equal(retained.length, 1, "the camera's retained state");
  });

  it('wrong broker password: a clear status and error, the outbox keeps filling; the password shows nowhere', async () => {
    if (!broker.running) await broker.start();
    const { file, uplink } = await load({ password: 'not-the-password' });
    feed(10, 2);
    await waitFor(() => /not authorised/.test(statusText(uplink)), 15_000, 'the not-authorised status');
    assert.ok(loggedErrors().some((e) => /not authorised: check the user and password/.test(e)));
    await waitFor(() => queued(file) >= 2, 10_000, 'the minutes queued');
    feed(12, 1);
    await waitFor(() => queued(file) >= 3, 10_000, 'still queueing');
    assert.doesNotMatch(loggedText() + statusText(uplink), /not-the-password|chain-test-pw/);
  });

  it('TLS to the broker with a CA made here; without the CA the certificate is refused', async () => {
    const tls = path.join(dir, 'tls');
    mkdirSync(tls, { recursive: true });
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tls, stdio: 'pipe' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=store-analytics test CA',
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    writeFileSync(path.join(tls, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
    await broker.stop();
    const tlsPort = await freeLoopbackPort();
    const secure = new Mosquitto({
      dir: path.join(dir, 'mosquitto-tls'),
      port: broker.options.port,
      user: { name: 'store', password: PASSWORD },
      tls: {
        port: tlsPort,
        ca: path.join(tls, 'ca.crt'),
        cert: path.join(tls, 'server.crt'),
        key: path.join(tls, 'server.key'),
      },
    });
    await secure.start();
    try {
      const { file, store, uplink } = await load({
        password: PASSWORD,
        url: `mqtts://127.0.0.1:${tlsPort}`,
        caFile: path.join(tls, 'ca.crt'),
      });
      const watcher = mqtt.connect(`mqtts://127.0.0.1:${tlsPort}`, {
        username: 'store',
        password: PASSWORD,
        ca: [readFileSync(path.join(tls, 'ca.crt'))],
      });
      const seen: string[] = [];
      watcher.on('message', (topic) => seen.push(topic));
      await new Promise((r) => watcher.on('connect', r));
      watcher.subscribe(['store-analytics/#', 'homeassistant/#']);
      feed(20, 1);
      await waitFor(async () => (await centralRows(store)).length === 2, 30_000, 'the minutes over TLS');
      assert.deepEqual(await centralRows(store), storeRows(file));
      await waitFor(
        () => seen.includes(`store-analytics/${store}/door/minute`),
        10_000,
        'the minute at a TLS subscriber',
      );
      assert.ok(seen.includes(`store-analytics/${store}/status`), 'online (retained)');
      assert.ok(seen.includes(`homeassistant/sensor/${store}_door_people/config`), 'discovery');
      assert.match(statusText(uplink), /connected/);
      watcher.end(true);
      await helper.unload();
      // A client without the CA: the certificate is not trusted, said so.
      const { uplink: refused } = await load({ password: PASSWORD, url: `mqtts://127.0.0.1:${tlsPort}` });
      await waitFor(() => /TLS refused/.test(statusText(refused)), 15_000, 'the TLS refusal');
      await helper.unload();
    } finally {
      await secure.stop();
    }
  });
});
