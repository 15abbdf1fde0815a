import { existsSync } from 'node:fs';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { brokerCredentials, brokerOptions, brokerProblem } from '../lib/chain/broker';
import { discoveryMessages } from '../lib/chain/discovery';
import { OutboxFile } from '../lib/chain/outbox-file';
import { eventItem } from '../lib/chain/payloads';
import { CameraStates } from '../lib/chain/camera-states';
import { storeTopic, topicLevel } from '../lib/chain/topics';
import { Uplink } from '../lib/chain/uplink';
import { redact } from '../lib/text/redact';
import { cameraIdOf } from '../shared/camera-id';
import { numberSetting, textSetting } from '../shared/config';
import { reportConfigError, Status } from '../shared/status';

/** The editor's `defaults`; every key here is a field of store-uplink.html. */
interface UplinkDef extends NodeDef {
  store: string;
  url: string;
  caFile: string;
  file: string;
  keepDays: string | number;
  discovery: boolean;
  discoveryPrefix: string;
}

interface UplinkCredentials {
  username?: string;
  password?: string;
}

/** The outbox is looked at this often (history writes a finished minute within seconds). */
const PUMP_MS = 1000;
/** A camera's retained state goes at most this often (and only when it changed). */
const STATE_MS = 5000;
const PRUNE_MS = 3_600_000;
/** At a stop, what is queued may take this long to go (Node-RED waits 15 s for a node to close). */
const DRAIN_MS = 8000;

export = function (RED: NodeAPI): void {
  function StoreUplinkNode(this: Node<UplinkCredentials>, config: UplinkDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const file = path.resolve(userDir, textSetting(config.file) || path.join('data', 'history.db'));
    const keepDays = numberSetting(config.keepDays, 7);
    const url = textSetting(config.url);
    const store = textSetting(config.store);

    if (url === '') {
      // Off: history stops queueing for head office (what is queued stays until it is sent or too old).
      if (existsSync(file)) {
        try {
          const f = new OutboxFile(file);
          f.setStore(null);
          f.close();
        } catch (err) {
          node.warn(`could not tell history to stop queueing in ${file}: ${(err as Error).message}`);
        }
      }
      node.status(Status.idle('off: no broker URL (MQTT_URL)'));
      return;
    }
    if (!(keepDays >= 1)) {
      reportConfigError(node, 'keep the outbox at least 1 day');
      return;
    }
    const { username, password } = brokerCredentials(node.credentials);
    const secrets = [password ?? ''];
    let storeId: string;
    let target: ReturnType<typeof brokerOptions>;
    try {
      storeId = topicLevel(store, 'store');
      target = brokerOptions({
        url,
        username,
        password,
        caFile: textSetting(config.caFile) || undefined,
        clientId: `store-analytics-${storeId}`,
        will: { topic: storeTopic(storeId, 'status'), payload: Buffer.from('offline'), qos: 1, retain: true },
      });
    } catch (err) {
      reportConfigError(node, (err as Error).message);
      return;
    }

    let outboxFile: OutboxFile;
    try {
      outboxFile = new OutboxFile(file);
      outboxFile.setStore(storeId);
    } catch (err) {
      reportConfigError(node, `cannot open the outbox in ${file}: ${(err as Error).message}`);
      return;
    }
    const outbox = outboxFile.outbox;
    const client: MqttClient = mqtt.connect(target.url, target.options);
    const uplink = new Uplink(outbox, client);
    const states = new CameraStates(storeId, STATE_MS);
    const announced = new Set<string>();
    let problem = '';
    let closing = false;

    function fail(text: string): void {
      if (text !== problem) node.error(text);
      problem = text;
      showStatus();
    }

    function showStatus(): void {
      let queued = '';
      try {
        const s = outbox.stats();
        queued = s.minutes > 0 ? `${s.minutes} min queued` : s.messages > 0 ? `${s.messages} queued` : '';
      } catch (err) {
        queued = `outbox unreadable: ${(err as Error).message}`;
      }
      if (problem) node.status(Status.error(queued ? `${problem} · ${queued}` : problem));
      else if (!client.connected)
        node.status(Status.connecting(queued ? `connecting · ${queued}` : 'connecting'));
      else node.status(Status.ok(`${storeId}: connected${queued ? ` · ${queued}` : ', all sent'}`));
    }

    function pump(): void {
      try {
        uplink.pump();
      } catch (err) {
        fail(`outbox read failed: ${(err as Error).message}`);
      }
    }

    function publishRetained(topic: string, payload: string): void {
      if (client.connected) client.publish(topic, payload, { qos: 1, retain: true });
    }

    function announce(cameraId: string): void {
      if (!config.discovery || announced.has(cameraId) || !client.connected) return;
      announced.add(cameraId);
      for (const m of discoveryMessages(config.discoveryPrefix?.trim() || 'homeassistant', storeId, cameraId))
        publishRetained(m.topic, m.payload);
    }

    client.on('connect', () => {
      if (problem) node.log(`connected to ${target.url} again`);
      problem = '';
      publishRetained(storeTopic(storeId, 'status'), 'online');
      announced.clear();
      for (const camera of states.cameras()) announce(camera);
      uplink.rewind();
      pump();
      showStatus();
    });
    client.on('close', () => {
      uplink.rewind();
      if (!closing) showStatus();
    });
    client.on('error', (err) => fail(brokerProblem(err as Error & { code?: string | number }, secrets)));

    const timer = setInterval(() => {
      pump();
      showStatus();
    }, PUMP_MS);
    const pruneTimer = setInterval(prune, PRUNE_MS);
    function prune(): void {
      try {
        const dropped = outbox.prune(keepDays, Date.now());
        if (dropped > 0)
          node.warn(
            `${dropped} messages older than ${keepDays} days left the outbox unsent (the broker was away)`,
          );
      } catch (err) {
        fail(`outbox prune failed: ${(err as Error).message}`);
      }
    }
    prune();
    showStatus();

    node.on('input', (msg: NodeMessage & { tracks?: unknown[] }, _send, done) => {
      try {
        const event = eventItem(storeId, msg.topic, msg.payload);
        if (event) {
          outbox.add([event]);
          pump();
          done();
          return;
        }
        if (Array.isArray(msg.tracks)) {
          const cameraId = topicLevel(cameraIdOf(msg), 'camera');
          const state = states.offer(cameraId, msg, Date.now());
          announce(cameraId);
          if (state) publishRetained(state.topic, state.payload);
          done();
          return;
        }
        if (msg.topic === 'crossing' || msg.topic === 'zone') {
          done(
            new Error(`a ${msg.topic} message without its camera id and time (payload.cameraId, payload.at)`),
          );
          return;
        }
        done(); // other messages on a shared link (commands, snapshots) are not the uplink's
      } catch (err) {
        const e = err as Error;
        node.status(Status.error(e.message));
        done(new Error(redact(e.message, secrets)));
      }
    });

    node.on('close', (done: () => void) => {
      closing = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        try {
          outboxFile.close();
        } catch {
          // closing twice
        }
        node.status(Status.clear());
        done();
      };
      if (!client.connected) {
        client.end(true, {}, finish);
        return;
      }
      // History writes the current minute as it closes (before this node: it comes first in the
      // flow): what is queued goes now, for a few seconds, rather than at the next start.
      const deadline = Date.now() + DRAIN_MS;
      const goodbye = () => {
        // A clean goodbye: the retained status says offline (the will is for a crash).
        client.publish(storeTopic(storeId, 'status'), 'offline', { qos: 1, retain: true }, () =>
          client.end(false, {}, finish),
        );
        setTimeout(() => client.end(true, {}, finish), 2000).unref();
      };
      const drainThenGo = () => {
        let waiting = 0;
        try {
          pump();
          waiting = outbox.stats().messages;
        } catch {
          // unreadable: nothing more to send
        }
        if (waiting > 0 && client.connected && Date.now() < deadline) setTimeout(drainThenGo, 100);
        else goodbye();
      };
      drainThenGo();
    });
  }

  RED.nodes.registerType<Node<UplinkCredentials>, UplinkDef, unknown, UplinkCredentials>(
    'store-uplink',
    StoreUplinkNode,
    { credentials: { username: { type: 'text' }, password: { type: 'password' } } },
  );
};
