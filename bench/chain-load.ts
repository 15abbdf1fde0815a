/**
 * npm run bench:chain: how many stores one Mosquitto and one PostgreSQL take. A real Mosquitto and a
 * real PostgreSQL (durable: fsync on) on loopback, and head office as it ships (a Node-RED runtime
 * with example 05); simulated store boxes (mqtt.js clients, one per store) publish minute rows at
 * QoS 1 as fast as the broker acknowledges them, `--cameras` cameras each, `--minutes` minutes'
 * worth. Measured: the rate the broker acknowledged them, and the rate they were in PostgreSQL (the
 * whole path: broker, head office's spool, its upserts). A chain sends one row per camera-minute,
 * so the sustained rate x 60 / cameras is the stores this pair takes on this machine; the line
 * printed says it with the measurement beside it.
 *
 *   npm run bench:chain [-- --stores 50] [-- --cameras 8] [-- --minutes 60]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { minuteItem } from '../nodes/lib/chain/payloads';
import { packageRoot } from '../nodes/shared/package-root';
import { Mosquitto } from '../tools/servers/mosquitto';
import { NodeRedRuntime } from '../tools/servers/node-red-runtime';
import { freeLoopbackPort } from '../tools/servers/ports';
import { Postgres } from '../tools/servers/postgres';

const root = packageRoot(__dirname);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stores: { type: 'string', default: '50' },
      cameras: { type: 'string', default: '8' },
      minutes: { type: 'string', default: '60' },
    },
  });
  const stores = Number(values.stores);
  const cameras = Number(values.cameras);
  const minutes = Number(values.minutes);
  const work = mkdtempSync(path.join(os.tmpdir(), 'store-analytics-chain-load-'));
  const user = { name: 'bench', password: `bench-${process.pid}` };
  const broker = new Mosquitto({ dir: path.join(work, 'mosquitto'), port: await freeLoopbackPort(), user });
  const pg = new Postgres(await freeLoopbackPort(), true);
  let office: NodeRedRuntime | null = null;
  try {
    await broker.start();
    await pg.start();
    office = new NodeRedRuntime(
      'head office',
      path.join(work, 'head-office'),
      await freeLoopbackPort(),
      path.join(root, 'examples', '05 head office.json'),
      { MQTT_URL: broker.url, MQTT_USERNAME: user.name, MQTT_PASSWORD: user.password, PG_URL: pg.url },
    );
    await office.start();
    const db = await pg.client();
    // Head office has made its tables and subscribed.
    for (let i = 0; i < 100; i++) {
      const r = await db.query("SELECT to_regclass('sa_minutes') AS t");
      if (r.rows[0].t) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));

    const total = stores * cameras * minutes;
    const start = Date.now() - minutes * 60_000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: stores }, async (_, s) => {
        const store = `store-${s + 1}`;
        const client = mqtt.connect(broker.url, {
          username: user.name,
          password: user.password,
          clientId: store,
        });
        await new Promise((r) => client.once('connect', r));
        let seq = 0;
        // In flight at a time, as the uplink's window.
        const window = 32;
        const jobs: Array<() => Promise<void>> = [];
        for (let m = 0; m < minutes; m++) {
          for (let c = 0; c < cameras; c++) {
            const item = minuteItem(store, {
              cameraId: `camera-${c + 1}`,
              minute: Math.floor(start / 60_000) * 60_000 + m * 60_000,
              coveredSeconds: 60,
              peopleSeconds: 90,
              peopleMax: 3,
              visitors: 2,
              activitySeconds: 40,
              lines: { door: { in: 1, out: 1 } },
              zones: {
                till: { occupancySeconds: 30, occupancyMax: 1, visits: 1, dwells: 1, dwellSeconds: 30 },
              },
            });
            const payload = JSON.stringify({ ...item.body, seq: ++seq });
            jobs.push(() => client.publishAsync(item.topic, payload, { qos: 1 }).then(() => undefined));
          }
        }
        const lanes = Array.from({ length: window }, async () => {
          for (let job = jobs.shift(); job; job = jobs.shift()) await job();
        });
        await Promise.all(lanes);
        await client.endAsync();
      }),
    );
    const acked = performance.now();
    let rows = 0;
    for (;;) {
      rows = Number((await db.query('SELECT count(*) AS n FROM sa_minutes')).rows[0].n);
      if (rows >= total || performance.now() - acked > 600_000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const stored = performance.now();
    await db.end();
    const brokerRate = total / ((acked - t0) / 1000);
    const endToEnd = rows / ((stored - t0) / 1000);
    const storesTaken = Math.floor((endToEnd * 60) / cameras);
    console.log(
      JSON.stringify({
        stores,
        cameras,
        minutes,
        messages: total,
        rowsInPostgres: rows,
        brokerAckedPerSecond: Math.round(brokerRate),
        intoPostgresPerSecond: Math.round(endToEnd),
        seconds: Math.round((stored - t0) / 100) / 10,
      }),
    );
    console.log(
      `A chain sends one row per camera-minute: ${Math.round(endToEnd)} rows/s sustained into PostgreSQL ` +
        `x 60 s / ${cameras} cameras = ${storesTaken} stores of ${cameras} cameras on this machine ` +
        `(the broker alone acknowledged ${Math.round(brokerRate)}/s).`,
    );
  } finally {
    await office?.stop();
    await broker.stop();
    await pg.remove();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
