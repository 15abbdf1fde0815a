import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { eventItem } from '../../../nodes/lib/chain/payloads';
import { OUTBOX_HOOK, UplinkService, type UplinkClient } from '../../../nodes/lib/chain/uplink-service';
import { HistoryRegistry } from '../../../nodes/lib/history/history-registry';
import { HistoryService } from '../../../nodes/lib/history/history-service';
import { testTmp } from '../../../support/assets';

const tmpDb = () => {
  mkdirSync(testTmp, { recursive: true });
  return path.join(mkdtempSync(path.join(testTmp, 'uplink-service-')), 'history.db');
};

/** An MQTT client that acknowledges every publish at once while `connected`. */
class FakeClient extends EventEmitter implements UplinkClient {
  connected = false;
  readonly published: Array<{ topic: string; payload: string; retain: boolean }> = [];
  publish(
    topic: string,
    payload: string,
    options: { retain: boolean },
    callback?: (err?: Error | null) => void,
  ) {
    this.published.push({ topic, payload, retain: options.retain });
    if (callback) setImmediate(() => callback());
    return this;
  }
  end(_force: boolean, _options: object, callback: () => void) {
    this.connected = false;
    setImmediate(callback);
    return this;
  }
  connect() {
    this.connected = true;
    this.emit('connect');
  }
}

function historyOn(file: string, registry: HistoryRegistry) {
  const quiet = () => undefined;
  const history = new HistoryService(
    { file, retentionDays: 400, maxFrameIntervalSeconds: 2, tickMs: 60_000, registry },
    { error: quiet, warn: quiet, log: quiet, written: quiet, status: quiet },
  );
  return history;
}

function uplinkOn(file: string, registry: HistoryRegistry, client: FakeClient) {
  const statuses: string[] = [];
  const quiet = () => undefined;
  const uplink = new UplinkService(
    {
      file,
      brokerUrl: 'mqtt://broker:1883',
      storeId: 'berlin-01',
      keepDays: 7,
      discoveryPrefix: null,
      problemOf: (err) => err.message,
      registry,
      pumpMs: 60_000,
    },
    client,
    { error: quiet, warn: quiet, log: quiet, status: (s) => statuses.push(s.text) },
  );
  return { uplink, statuses };
}

const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
function feedMinute(history: HistoryService, minute: number): void {
  for (let s = 0; s <= 60; s += 2)
    history.frame('door', { frame: { capturedAt: minute + s * 1000 }, tracks: [{ id: 1 }] });
}
const closed = (uplink: UplinkService, removed: boolean) =>
  new Promise<void>((resolve) => uplink.close(removed, resolve));

describe('uplink service: the outbox hooked into history, sent from the connection history hands over', () => {
  it('started before history: waits for it, then sends what history writes; history closing first is drained', async () => {
    const file = tmpDb();
    const registry = new HistoryRegistry();
    const client = new FakeClient();
    const { uplink, statuses } = uplinkOn(file, registry, client);
    assert.match(statuses.at(-1)!, /waiting for history \(history\.db\)/);
    assert.throws(
      () =>
        uplink.event(
          eventItem('berlin-01', 'crossing', { cameraId: 'door', at: start, line: 'l', direction: 'in' })!,
        ),
      /no history runs on/,
    );
    assert.equal(registry.hooksOf(file).length, 1, 'the hook is set before history starts');
    const history = historyOn(file, registry);
    history.start();
    feedMinute(history, start);
    history.close(); // writes the minutes as it closes, and goes first
    client.connect();
    await closed(uplink, false);
    const minutes = client.published.filter((p) => p.topic === 'store-analytics/berlin-01/door/minute');
    assert.ok(minutes.length >= 1, 'the minutes history wrote as it closed went out in the drain');
    assert.equal(client.published.at(-1)!.payload, 'offline');
    assert.equal(
      registry.hooksOf(file).length,
      1,
      'a redeploy keeps the hook: the next instance replaces it',
    );
  });

  it('a node removed takes its hook away: history then queues nothing', async () => {
    const file = tmpDb();
    const registry = new HistoryRegistry();
    const { uplink } = uplinkOn(file, registry, new FakeClient());
    await closed(uplink, true);
    assert.deepEqual(registry.hooksOf(file), []);
    registry.setHook(file, OUTBOX_HOOK, null); // an uplink switched off does the same: harmless twice
    assert.deepEqual(registry.hooksOf(file), []);
  });
});
