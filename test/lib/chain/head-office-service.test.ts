import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IPublishPacket } from 'mqtt';
import { HeadOfficeService, type InboxClient } from '../../../nodes/lib/chain/head-office-service';
import { headOfficeSettings, type HeadOfficeSettings } from '../../../nodes/lib/chain/head-office-settings';
import type { HeadOfficeStatus } from '../../../nodes/lib/chain/head-office-status';
import { freeLoopbackPort } from '../../../tools/servers/ports';
import { testTmp } from '../../../support/assets';
import { waitFor } from '../../../support/processes';

/** An MQTT client as far as head office uses it: events, subscribe, end, handleMessage. */
class FakeClient extends EventEmitter {
  connected = false;
  subscribed: string[] = [];
  ended: boolean[] = [];
  handleMessage(_packet: IPublishPacket, callback: (err?: Error) => void): void {
    callback();
  }
  subscribe(topic: string): this {
    this.subscribed.push(topic);
    return this;
  }
  end(force: boolean, _options: object, callback: () => void): this {
    this.ended.push(force);
    this.connected = false;
    setImmediate(callback);
    return this;
  }
}

const fields = { url: 'mqtt://127.0.0.1:1883', caFile: '', database: '', file: '', clientId: '' };

describe('HeadOfficeService with a fake broker client and PostgreSQL away', function () {
  this.timeout(20_000);
  let dir = '';
  let settings: HeadOfficeSettings;
  beforeEach(async () => {
    mkdirSync(testTmp, { recursive: true });
    dir = mkdtempSync(path.join(testTmp, 'head-office-'));
    const port = await freeLoopbackPort(); // nothing listens there
    const s = headOfficeSettings(
      { ...fields, database: `postgres://u@127.0.0.1:${port}/db`, file: 'spool.db' },
      { dbPassword: 'pg-secret' },
      dir,
    );
    assert.ok(!('off' in s));
    settings = s;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('subscribes without a kept session, keeps what arrives in the spool, says PostgreSQL is away with what waits, and closes', async () => {
    const client = new FakeClient();
    const statuses: HeadOfficeStatus[] = [];
    const errors: string[] = [];
    const office = new HeadOfficeService(settings, () => client as unknown as InboxClient, {
      error: (text) => errors.push(text),
      log: () => undefined,
      status: (s) => statuses.push(s),
    });
    client.connected = true;
    client.emit('connect', { sessionPresent: false });
    client.emit('connect', { sessionPresent: true });
    assert.deepEqual(client.subscribed, ['store-analytics/+/#'], 'a kept session keeps its subscription');
    const acked: Array<Error | undefined> = [];
    client.handleMessage(
      { cmd: 'publish', topic: 'store-analytics/s1/status', payload: 'online', qos: 1 } as IPublishPacket,
      (err) => acked.push(err),
    );
    assert.deepEqual(acked, [undefined]);
    assert.equal(office.buffered, 1);
    await waitFor(
      () => /^PostgreSQL: .* · 1 buffered$/.test(statuses.at(-1)?.text ?? ''),
      10_000,
      'the status',
    );
    assert.match(errors[0], /^PostgreSQL write failed, messages stay buffered: /);
    const answer = await office.answer({ format: 'json', query: {}, fromHttp: true });
    assert.equal(answer.statusCode, 503);
    await new Promise<void>((resolve) => office.close(resolve));
    assert.deepEqual(client.ended, [false], 'connected: a graceful end');
  });

  it('refuses a spool it cannot open, before connecting', () => {
    let connected = false;
    writeFileSync(path.join(dir, 'a-file'), '');
    assert.throws(
      () =>
        new HeadOfficeService(
          { ...settings, spoolFile: path.join(dir, 'a-file', 'spool.db') },
          () => {
            connected = true;
            return new FakeClient() as unknown as InboxClient;
          },
          { error: () => undefined, log: () => undefined, status: () => undefined },
        ),
      /cannot open the spool/,
    );
    assert.equal(connected, false);
  });
});
