import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { acknowledgeWhenKept } from '../../../nodes/lib/chain/acknowledge-when-kept';
import { Mosquitto } from '../../../tools/servers/mosquitto';
import { freeLoopbackPort } from '../../../tools/servers/ports';
import { testTmp } from '../../../support/assets';
import { waitFor } from '../../../support/processes';

describe('acknowledgeWhenKept: a message is acknowledged to the broker only once kept', function () {
  this.timeout(30_000);

  it('keeps before calling back; a failed keep calls back with the error (no PUBACK)', () => {
    const client = {} as Pick<MqttClient, 'handleMessage'>;
    const kept: string[] = [];
    const failures: string[] = [];
    let fail = false;
    acknowledgeWhenKept(
      client,
      (topic, payload) => {
        if (fail) throw new Error('disk full');
        kept.push(`${topic}=${payload.toString()}`);
      },
      (err) => failures.push(err.message),
    );
    const calls: Array<Error | undefined> = [];
    const packet = (payload: string) => ({ cmd: 'publish', topic: 't/a', payload, qos: 1 }) as IPublishPacket;
    client.handleMessage(packet('one'), (err) => calls.push(err));
    assert.deepEqual(kept, ['t/a=one']);
    assert.equal(calls.length, 1);
    assert.equal(calls[0], undefined);
    fail = true;
    client.handleMessage(packet('two'), (err) => calls.push(err));
    assert.equal(calls[1]?.message, 'disk full');
    assert.deepEqual(failures, ['disk full']);
  });

  describe('with mqtt.js and a real Mosquitto', () => {
    let dir = '';
    let broker: Mosquitto;
    const clients: MqttClient[] = [];
    before(async () => {
      mkdirSync(testTmp, { recursive: true });
      dir = mkdtempSync(path.join(testTmp, 'ack-'));
      broker = new Mosquitto({ dir, port: await freeLoopbackPort() });
      await broker.start();
    });
    after(async () => {
      for (const c of clients) c.end(true);
      await broker?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Head office's way: a persistent session, QoS 1, messages kept by `keep`. */
    async function inbox(keep: (payload: string) => void): Promise<MqttClient> {
      const client = mqtt.connect(broker.url, { clientId: 'ack-inbox', clean: false, protocolVersion: 4 });
      clients.push(client);
      acknowledgeWhenKept(
        client,
        (_topic, payload) => keep(payload.toString()),
        () => undefined,
      );
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      await client.subscribeAsync('ack/#', { qos: 1 });
      return client;
    }

    it('the broker sends again what was not kept, and only that', async () => {
      const kept: string[] = [];
      let refuse = true;
      const first = await inbox((p) => {
        if (p === 'a' && refuse) throw new Error('not now');
        kept.push(p);
      });
      const sender = mqtt.connect(broker.url, { protocolVersion: 4 });
      clients.push(sender);
      await sender.publishAsync('ack/x', 'a', { qos: 1 });
      await sender.publishAsync('ack/x', 'b', { qos: 1 });
      await waitFor(() => kept.includes('b'), 5000, 'b kept');
      await first.endAsync(true);
      refuse = false;
      await inbox((p) => kept.push(p));
      await waitFor(() => kept.includes('a'), 10_000, 'a sent again and kept');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(kept, ['b', 'a'], 'b was acknowledged: not sent again');
    });
  });
});
