import path from 'node:path';
import mqtt from 'mqtt';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { brokerCredentials, brokerOptions, brokerProblem } from '../lib/chain/broker';
import type { FrameFields } from '../lib/chain/camera-states';
import { eventItem } from '../lib/chain/payloads';
import { storeTopic, topicLevel } from '../lib/chain/topics';
import { OUTBOX_HOOK, UplinkService } from '../lib/chain/uplink-service';
import { historyRegistry } from '../lib/history/history-registry';
import { routeMessage, type KindHandler } from '../lib/messages/message-kinds';
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

const EXPECTS =
  'a frame with msg.tracks (from zone-monitor or the heatmap), or a line-counter "crossing" or zone-monitor "zone" event (msg.topic)';

export = function (RED: NodeAPI): void {
  function StoreUplinkNode(this: Node<UplinkCredentials>, config: UplinkDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const file = path.resolve(userDir, textSetting(config.file) || path.join('data', 'history.db'));
    const keepDays = numberSetting(config.keepDays, 7);
    const url = textSetting(config.url);

    if (url === '') {
      // Off: history stops queueing for head office (what is queued stays until it is sent or too old).
      historyRegistry.setHook(file, OUTBOX_HOOK, null);
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
      storeId = topicLevel(textSetting(config.store), 'store');
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

    const uplink = new UplinkService(
      {
        file,
        brokerUrl: target.url,
        storeId,
        keepDays,
        discoveryPrefix: config.discovery ? config.discoveryPrefix?.trim() || 'homeassistant' : null,
        problemOf: (err) => brokerProblem(err, secrets),
      },
      mqtt.connect(target.url, target.options),
      {
        error: (text) => node.error(text),
        warn: (text) => node.warn(text),
        log: (text) => node.log(text),
        status: (s) => node.status(Status[s.state](s.text)),
      },
    );

    node.on('input', (msg, _send, done) => {
      /** Runs a handler; what it throws is the flow's error, the password never in it. */
      const guarded =
        (handle: (m: NodeMessage) => void): KindHandler<NodeMessage> =>
        (m) => {
          try {
            handle(m);
            done();
          } catch (err) {
            const e = err as Error;
            node.status(Status.error(e.message));
            done(new Error(redact(e.message, secrets)));
          }
        };
      const event = guarded((m) => {
        const item = eventItem(storeId, m.topic, m.payload);
        if (!item)
          throw new Error(
            `a ${String(m.topic)} message without its camera id and time (payload.cameraId, payload.at)`,
          );
        uplink.event(item);
      });
      routeMessage(
        msg,
        {
          crossing: event,
          'zone-event': event,
          tracks: guarded((m) => uplink.frame(topicLevel(cameraIdOf(m), 'camera'), m as FrameFields)),
        },
        done,
        { expects: EXPECTS },
      );
    });

    node.on('close', (removed: boolean, done: () => void) => {
      // History closes first (it comes first in the flow) and writes its current minute: the service
      // sends what is queued for a few seconds rather than at the next start.
      uplink.close(removed, () => {
        node.status(Status.clear());
        done();
      });
    });
  }

  RED.nodes.registerType<Node<UplinkCredentials>, UplinkDef, unknown, UplinkCredentials>(
    'store-uplink',
    StoreUplinkNode,
    { credentials: { username: { type: 'text' }, password: { type: 'password' } } },
  );
};
