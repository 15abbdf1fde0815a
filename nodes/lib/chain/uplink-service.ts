import path from 'node:path';
import type Database from 'better-sqlite3';
import { historyRegistry, type HistoryRegistry } from '../history/history-registry';
import { CameraStates, type FrameFields } from './camera-states';
import { discoveryMessages } from './discovery';
import { Outbox, type OutboxItem } from './outbox';
import { OutboxHook } from './outbox-hook';
import { storeTopic } from './topics';
import { Uplink, type PublishClient } from './uplink';

/** The name the outbox's write hook has on history's database (one per database). */
export const OUTBOX_HOOK = 'chain-outbox';

/** The part of an MQTT client (mqtt.js) the service uses. */
export interface UplinkClient extends PublishClient {
  on(event: 'connect' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error & { code?: string | number }) => void): unknown;
  publish(
    topic: string,
    payload: string,
    options: { qos: 1; retain: boolean },
    callback?: (err?: Error | null) => void,
  ): unknown;
  end(force: boolean, options: object, callback: () => void): unknown;
}

/** Where the service says what happened (the node's log and status). */
export interface UplinkEvents {
  error(text: string): void;
  warn(text: string): void;
  log(text: string): void;
  status(status: { state: 'ok' | 'connecting' | 'error' | 'idle'; text: string }): void;
}

export interface UplinkServiceOptions {
  /** History's database file (absolute): its outbox is what this store sends. */
  file: string;
  /** The broker's address as the log may show it (no credentials). */
  brokerUrl: string;
  /** The store id, a valid topic level. */
  storeId: string;
  keepDays: number;
  /** Home Assistant discovery's topic prefix; null: no discovery. */
  discoveryPrefix: string | null;
  /** The broker's words for a connection error (secrets hidden). */
  problemOf(err: Error & { code?: string | number }): string;
  registry?: HistoryRegistry;
  /** How often the outbox is looked at (history writes a finished minute within seconds). */
  pumpMs?: number;
  /** A camera's retained state goes at most this often (and only when it changed). */
  stateMs?: number;
  pruneMs?: number;
  /** At a stop, what is queued may take this long to go (Node-RED waits 15 s for a node to close). */
  drainMs?: number;
}

/**
 * A store reporting to head office. It hooks the outbox into history's writes (OutboxHook, set on
 * history's database file in the registry: minutes and heat are queued in the same transaction as
 * history writes them) and sends the outbox from a connection the running history hands it, so it
 * never opens history's file itself. It starts in any order with history: the connection comes when
 * history appears; it keeps it when history goes, so what history wrote as it closed still goes out
 * in the drain. Frames give each camera's retained state; crossing and zone events join the outbox.
 */
export class UplinkService {
  private connection: Database.Database | null = null;
  private outbox: Outbox | null = null;
  private uplink: Uplink | null = null;
  private readonly states: CameraStates;
  private readonly announced = new Set<string>();
  private problem = '';
  private closing = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unwatch: () => void;
  private readonly registry: HistoryRegistry;

  constructor(
    private readonly options: UplinkServiceOptions,
    private readonly client: UplinkClient,
    private readonly events: UplinkEvents,
  ) {
    this.registry = options.registry ?? historyRegistry;
    this.states = new CameraStates(options.storeId, options.stateMs ?? 5000);
    this.registry.setHook(options.file, OUTBOX_HOOK, new OutboxHook(options.storeId));
    // Kept when history goes: the drain at a stop reads what history wrote as it closed.
    this.unwatch = this.registry.watch(options.file, {
      appeared: (h) => this.attach(h.connect()),
      gone: () => undefined,
    });
    client.on('connect', () => this.connected());
    client.on('close', () => {
      this.uplink?.rewind();
      if (!this.closing) this.showStatus();
    });
    client.on('error', (err) => this.fail(options.problemOf(err)));
    this.timers.push(
      setInterval(() => {
        this.pump();
        this.showStatus();
      }, options.pumpMs ?? 1000),
      setInterval(() => this.prune(), options.pruneMs ?? 3_600_000),
    );
    this.showStatus();
  }

  /** A line-counter crossing or zone-monitor event: queued, then sent. Throws when there is no outbox. */
  event(item: OutboxItem): void {
    if (!this.outbox)
      throw new Error(`not queued: no history runs on ${this.options.file} (the outbox is in its database)`);
    this.outbox.add([item]);
    this.pump();
  }

  /** A frame: its camera's retained state when it changed, and the camera's discovery once. */
  frame(cameraId: string, msg: FrameFields, now = Date.now()): void {
    const state = this.states.offer(cameraId, msg, now);
    this.announce(cameraId);
    if (state) this.publishRetained(state.topic, state.payload);
  }

  /**
   * Stops: with `removed` (the node deleted or disabled) history stops queueing; otherwise the hook
   * stays, so minutes written until the node's next instance starts (a redeploy) are queued too.
   * What is queued goes for up to drainMs, then a clean "offline" and the end.
   */
  close(removed: boolean, finished: () => void): void {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    this.unwatch();
    if (removed) this.registry.setHook(this.options.file, OUTBOX_HOOK, null);
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      try {
        this.connection?.close();
      } catch {
        // closing twice
      }
      finished();
    };
    if (!this.client.connected) {
      this.client.end(true, {}, finish);
      return;
    }
    const deadline = Date.now() + (this.options.drainMs ?? 8000);
    const goodbye = () => {
      // A clean goodbye: the retained status says offline (the will is for a crash).
      this.client.publish(
        storeTopic(this.options.storeId, 'status'),
        'offline',
        { qos: 1, retain: true },
        () => this.client.end(false, {}, finish),
      );
      setTimeout(() => this.client.end(true, {}, finish), 2000).unref();
    };
    const drainThenGo = () => {
      let waiting = 0;
      try {
        this.pump();
        waiting = this.outbox?.stats().messages ?? 0;
      } catch {
        // unreadable: nothing more to send
      }
      if (waiting > 0 && this.client.connected && Date.now() < deadline) setTimeout(drainThenGo, 100);
      else goodbye();
    };
    drainThenGo();
  }

  private attach(connection: Database.Database): void {
    // One connection for the service's life: the sequence numbers in flight belong to it.
    if (this.connection) {
      connection.close();
      return;
    }
    this.connection = connection;
    this.outbox = new Outbox(connection);
    this.uplink = new Uplink(this.outbox, this.client);
    this.prune();
    this.pump();
    this.showStatus();
  }

  private connected(): void {
    if (this.problem) this.events.log(`connected to ${this.options.brokerUrl} again`);
    this.problem = '';
    this.publishRetained(storeTopic(this.options.storeId, 'status'), 'online');
    this.announced.clear();
    for (const camera of this.states.cameras()) this.announce(camera);
    this.uplink?.rewind();
    this.pump();
    this.showStatus();
  }

  private pump(): void {
    try {
      this.uplink?.pump();
    } catch (err) {
      this.fail(`outbox read failed: ${(err as Error).message}`);
    }
  }

  private prune(): void {
    if (!this.outbox) return;
    const days = this.options.keepDays;
    try {
      const dropped = this.outbox.prune(days, Date.now());
      if (dropped > 0)
        this.events.warn(
          `${dropped} messages older than ${days} days left the outbox unsent (the broker was away)`,
        );
    } catch (err) {
      this.fail(`outbox prune failed: ${(err as Error).message}`);
    }
  }

  private publishRetained(topic: string, payload: string): void {
    if (this.client.connected) this.client.publish(topic, payload, { qos: 1, retain: true });
  }

  private announce(cameraId: string): void {
    const prefix = this.options.discoveryPrefix;
    if (prefix === null || this.announced.has(cameraId) || !this.client.connected) return;
    this.announced.add(cameraId);
    for (const m of discoveryMessages(prefix, this.options.storeId, cameraId))
      this.publishRetained(m.topic, m.payload);
  }

  private fail(text: string): void {
    if (text !== this.problem) this.events.error(text);
    this.problem = text;
    this.showStatus();
  }

  private showStatus(): void {
    let queued = '';
    if (!this.outbox) queued = `waiting for history (${path.basename(this.options.file)})`;
    else {
      try {
        const s = this.outbox.stats();
        queued = s.minutes > 0 ? `${s.minutes} min queued` : s.messages > 0 ? `${s.messages} queued` : '';
      } catch (err) {
        queued = `outbox unreadable: ${(err as Error).message}`;
      }
    }
    const store = this.options.storeId;
    if (this.problem)
      this.events.status({ state: 'error', text: queued ? `${this.problem} · ${queued}` : this.problem });
    else if (!this.client.connected)
      this.events.status({ state: 'connecting', text: queued ? `connecting · ${queued}` : 'connecting' });
    else
      this.events.status({
        state: 'ok',
        text: `${store}: connected${queued ? ` · ${queued}` : ', all sent'}`,
      });
  }
}
