import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Client } from 'pg';
import historyNode from '../../../nodes/analytics-history/analytics-history';
import headOfficeNode from '../../../nodes/head-office/head-office';
import uplinkNode from '../../../nodes/store-uplink/store-uplink';
import { Mosquitto } from '../../../tools/servers/mosquitto';
import { freeLoopbackPort } from '../../../tools/servers/ports';
import { Postgres } from '../../../tools/servers/postgres';
import { testTmp } from '../../../support/assets';
import { getNode, helper, loadFlow, recordStatuses } from '../../../support/node-red/test-helper';

export const PASSWORD = 'chain-test-pw-8c1f';

/**
 * A store (analytics-history + store-uplink) and head office (head-office) in one Node-RED test
 * runtime, against a real Mosquitto and a real PostgreSQL. Frames carry capture times of minutes
 * ago, so history writes a minute as soon as the next one's first frame comes: no waiting for the
 * clock. What the real runtimes on the clip do is `npm run chain` (and test/e2e/chain.test.ts).
 */
export function storeAndHeadOffice() {
  const rig = {
    dir: '',
    broker: undefined as unknown as Mosquitto,
    pg: new Postgres(0),
    db: undefined as unknown as Client,
  };

  before(async () => {
    mkdirSync(testTmp, { recursive: true });
    rig.dir = mkdtempSync(path.join(testTmp, 'chain-node-'));
    rig.broker = new Mosquitto({
      dir: path.join(rig.dir, 'mosquitto'),
      port: await freeLoopbackPort(),
      user: { name: 'store', password: PASSWORD },
    });
    rig.pg.port = await freeLoopbackPort();
    await rig.pg.start();
    rig.db = await rig.pg.client();
    rig.db.on('error', () => undefined); // PostgreSQL is stopped on purpose below
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
    await rig.db?.end();
    await rig.broker?.stop();
    await rig.pg.remove();
  });
  afterEach(() => helper.unload());

  let run = 0;
  /** The store and head office nodes; the head office's spool and the store's database in a folder of their own. */
  async function load(store: { password: string; url?: string; caFile?: string }) {
    run++;
    const file = path.join(rig.dir, `run-${run}`, 'history.db');
    await loadFlow(
      [historyNode, uplinkNode, headOfficeNode],
      [
        { id: 'h', type: 'analytics-history', file, wires: [[], [], []] },
        {
          id: 'u',
          type: 'store-uplink',
          store: `store-${run}`,
          url: store.url ?? rig.broker.url,
          caFile: store.caFile ?? '',
          file,
          keepDays: 7,
          discovery: true,
          discoveryPrefix: 'homeassistant',
        },
        {
          id: 'o',
          type: 'head-office',
          url: rig.broker.url,
          database: rig.pg.url,
          file: path.join(rig.dir, `run-${run}`, 'spool.db'),
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
      await rig.db.query(
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

  return Object.assign(rig, { load, feed, storeRows, centralRows, queued, statusText });
}
