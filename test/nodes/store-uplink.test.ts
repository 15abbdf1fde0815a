import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { freeLoopbackPort } from '../../tools/servers/ports';
import { Mosquitto } from '../../tools/servers/mosquitto';
import { getNode, helper, loggedErrors, loggedText } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';
import { PASSWORD, storeAndHeadOffice } from './flows/store-and-head-office';

/** With analytics-history and head-office in one Node-RED test runtime, over a real Mosquitto and PostgreSQL (test/nodes/flows/store-and-head-office.ts). */
describe('store-uplink node', function () {
  this.timeout(120_000);
  const rig = storeAndHeadOffice();
  const { load, feed, storeRows, centralRows, queued, statusText } = rig;

  it('wrong broker password: a clear status and error, the outbox keeps filling; the password shows nowhere', async () => {
    if (!rig.broker.running) await rig.broker.start();
    const { file, uplink } = await load({ password: 'not-the-password' });
    feed(10, 2);
    await waitFor(() => /not authorised/.test(statusText(uplink)), 15_000, 'the not-authorised status');
    assert.ok(loggedErrors().some((e) => /not authorised: check the user and password/.test(e)));
    await waitFor(() => queued(file) >= 2, 10_000, 'the minutes queued');
    feed(12, 1);
    await waitFor(() => queued(file) >= 3, 10_000, 'still queueing');
    assert.doesNotMatch(loggedText() + statusText(uplink), /not-the-password|chain-test-pw/);
  });

  it("lets other nodes' commands pass quietly and reports a message it does not take, saying what it expects", async () => {
    if (!rig.broker.running) await rig.broker.start();
    await load({ password: PASSWORD });
    const expected = () => loggedErrors().filter((e) => /expected a frame with msg.tracks/.test(e));
    getNode('u').receive({ topic: 'start' });
    getNode('u').receive({ topic: 'save', cameras: 'door' });
    getNode('u').receive({ topic: 'heatmap/snapshot', payload: [] });
    getNode('u').receive({ payload: 'hello' });
    await waitFor(() => expected().length > 0, 5000, 'the error for a message it does not take');
    assert.equal(expected().length, 1, 'commands of other nodes are no error');
  });

  it('TLS to the broker with a CA made here; without the CA the certificate is refused', async () => {
    const tls = path.join(rig.dir, 'tls');
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
    await rig.broker.stop();
    const tlsPort = await freeLoopbackPort();
    const secure = new Mosquitto({
      dir: path.join(rig.dir, 'mosquitto-tls'),
      port: rig.broker.options.port,
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
