import type { Outbox, OutboxMessage } from './outbox';

/** The part of an MQTT client (mqtt.js) the uplink uses. */
export interface PublishClient {
  readonly connected: boolean;
  publish(
    topic: string,
    payload: string,
    options: { qos: 1; retain: false },
    callback: (err?: Error | null) => void,
  ): unknown;
}

/**
 * Sends the outbox to the broker in order, at QoS 1, with at most `window` messages waiting for
 * their acknowledgement; a message leaves the outbox only when the broker acknowledged it. When the
 * connection drops, everything unacknowledged is sent again from the oldest: the centre may see a
 * message twice (the same store and seq), never miss one.
 */
export class Uplink {
  private readonly inflight = new Map<number, OutboxMessage>();
  private lastSent = 0;
  acknowledged = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly client: PublishClient,
    readonly window = 32,
  ) {}

  get waitingForAck(): number {
    return this.inflight.size;
  }

  /** Sends what the window has room for. Call it on connect, after adding, and on a timer. */
  pump(): void {
    if (!this.client.connected) return;
    const room = this.window - this.inflight.size;
    if (room <= 0) return;
    for (const m of this.outbox.next(this.lastSent, room)) {
      this.inflight.set(m.seq, m);
      this.lastSent = m.seq;
      this.client.publish(m.topic, m.payload, { qos: 1, retain: false }, (err) => this.settled(m.seq, err));
    }
  }

  /** The connection dropped (or a publish failed): the unacknowledged go again, oldest first. */
  rewind(): void {
    this.inflight.clear();
    this.lastSent = 0;
  }

  private settled(seq: number, err?: Error | null): void {
    if (err) {
      this.rewind();
      return;
    }
    // Acknowledged, even if sent before a rewind: it need not go again.
    this.outbox.ack([seq]);
    this.acknowledged++;
    if (this.inflight.delete(seq)) this.pump();
  }
}
