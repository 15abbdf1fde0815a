import type { MqttClient } from 'mqtt';

/** Keeps a received message (head office: in the spool); throws when it cannot. */
export type KeepMessage = (topic: string, payload: Buffer) => void;

/**
 * Makes `client` acknowledge a QoS 1 message to the broker only once `keep` has it: what was not
 * kept is not acknowledged, and the broker sends it again (at least once; head office drops a message
 * seen twice by store and seq).
 *
 * mqtt.js (5.x) sends the PUBACK in the callback of `Client#handleMessage`, and its README documents
 * that method as the hook for this: "Handle messages with backpressure support, one at a time.
 * Override at will, but always call callback, or the client will hang." Its other hook,
 * `customHandleAcks`, picks the PUBACK's reason code (an MQTT 5 feature; the chain speaks 3.1.1) and
 * still runs handleMessage before acknowledging, so handleMessage is where keeping belongs.
 * A failed keep calls back with the error: mqtt.js then sends no PUBACK and reads on.
 */
export function acknowledgeWhenKept(
  client: Pick<MqttClient, 'handleMessage'>,
  keep: KeepMessage,
  failed: (err: Error) => void,
): void {
  client.handleMessage = (packet, callback) => {
    try {
      keep(packet.topic, Buffer.from(packet.payload));
    } catch (err) {
      failed(err as Error);
      callback(err as Error);
      return;
    }
    callback();
  };
}
