import assert from 'node:assert/strict';
import { getNode, loggedErrors, loggedText } from '../../support/node-red/test-helper';
import { sleep, waitFor } from '../../support/processes';
import { PASSWORD, storeAndHeadOffice } from './flows/store-and-head-office';

/** With analytics-history and store-uplink in one Node-RED test runtime, over a real Mosquitto and PostgreSQL (test/nodes/flows/store-and-head-office.ts). */
describe('head-office node: every minute of a store arrives once, in order', function () {
  this.timeout(120_000);
  const rig = storeAndHeadOffice();
  const { load, feed, storeRows, centralRows, queued, statusText } = rig;

  it('broker unreachable at start, then up; stopped midway; PostgreSQL down at head office: every minute arrives once, in order', async () => {
    const { file, store, uplink, office } = await load({ password: PASSWORD });
    // The broker is not running yet: the store keeps its minutes.
    feed(0, 3);
    await sleep(3000);
    await waitFor(() => storeRows(file).length === 4, 10_000, 'four minutes in history');
    await waitFor(() => /broker unreachable/.test(statusText(uplink)), 10_000, 'the unreachable status');
    assert.ok(queued(file) >= 3, 'queued in the outbox');
    await waitFor(
      () => /4 min queued/.test(statusText(uplink)),
      5000,
      'the status counts the minutes queued',
    );

    await rig.broker.start();
    await waitFor(
      async () => (await centralRows(store)).length === 4,
      30_000,
      'the three minutes at head office',
    );
    assert.deepEqual(await centralRows(store), storeRows(file));

    // The broker goes away for a while; minutes go on.
    await rig.broker.stop();
    feed(3, 2);
    await waitFor(() => storeRows(file).length === 6, 10_000, 'six minutes in history');
    await sleep(1000);
    await rig.broker.start();

    // PostgreSQL stops under head office: it buffers what it received.
    await waitFor(async () => (await centralRows(store)).length === 6, 30_000, 'six minutes at head office');
    await rig.pg.stop();
    feed(5, 2);
    await waitFor(
      () => /PostgreSQL: .*buffered/.test(statusText(office)),
      30_000,
      'head office says it buffers',
    );
    assert.match(loggedText(), /PostgreSQL write failed, messages stay buffered/);
    await rig.pg.start();
    await rig.db.end().catch(() => undefined);
    rig.db = await rig.pg.client();
    rig.db.on('error', () => undefined);
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
      await rig.db.query(
        'SELECT footfall_in, lines FROM sa_minutes WHERE store = $1 ORDER BY minute LIMIT 1',
        [store],
      )
    ).rows;
    assert.deepEqual(row.lines, { entrance: { in: 1, out: 0 } });
    // The Chain tab's question, from a flow: answered on the second output.
    const answered = new Promise<{
      statusCode: number;
      headers: Record<string, string>;
      payload: { stores: Array<{ store: string; cameras: number }> };
    }>((resolve) => getNode('answers').on('input', resolve as never));
    getNode('o').receive({ topic: 'chain/report' });
    const report = await answered;
    assert.equal(report.statusCode, 200);
    assert.equal(report.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(report.payload.stores.some((s) => s.store === store));
    getNode('o').receive({ topic: 'something else' });
    await waitFor(
      () => loggedErrors().some((e) => /expected msg.topic "chain\/report" or "chain\/csv"/.test(e)),
      5000,
      'the error for an unknown message',
    );
    const retained = (await rig.db.query('SELECT state FROM sa_state WHERE store = $1', [store])).rows;
    assert.equal(retained.length, 1, "the camera's retained state");
  });
});
