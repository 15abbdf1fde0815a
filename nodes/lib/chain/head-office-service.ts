import type { IClientOptions, MqttClient } from 'mqtt';
import type { Pool } from 'pg';
import { acknowledgeWhenKept } from './acknowledge-when-kept';
import { brokerProblem } from './broker';
import { centralSink, openCentralPool } from './central-pool';
import { answerChainQuery, type ChainAnswer, type ChainQuery } from './chain-query';
import { headOfficeStatus, type HeadOfficeStatus } from './head-office-status';
import type { HeadOfficeSettings } from './head-office-settings';
import { Spool } from './spool';
import { SpoolDrain, type DrainTiming } from './spool-drain';
import { TOPIC_ROOT } from './topics';

/** The part of an MQTT client (mqtt.js) head office uses. */
export type InboxClient = Pick<MqttClient, 'handleMessage' | 'connected' | 'subscribe' | 'end' | 'on'>;

/** Where the service says what happened (the node's log and status). */
export interface HeadOfficeEvents {
  error(text: string, topic?: string): void;
  log(text: string): void;
  status(status: HeadOfficeStatus): void;
}

/**
 * Head office at work: every store's messages from the broker go into the spool on this disk (and are
 * acknowledged to the broker only once there), the spool drain moves them into PostgreSQL, and the
 * chain's questions are answered from PostgreSQL.
 */
export class HeadOfficeService {
  private readonly spool: Spool;
  private readonly pool: Pool;
  private readonly drain: SpoolDrain;
  private readonly client: InboxClient;
  private brokerError = '';
  private closing = false;

  /** Connects (mqtt.connect) once the spool is open; throws when it cannot be opened. */
  constructor(
    private readonly settings: HeadOfficeSettings,
    connect: (url: string, options: IClientOptions) => InboxClient,
    private readonly events: HeadOfficeEvents,
    timing?: Partial<DrainTiming>,
  ) {
    try {
      this.spool = new Spool(settings.spoolFile);
    } catch (err) {
      throw new Error(`cannot open the spool ${settings.spoolFile}: ${(err as Error).message}`);
    }
    this.pool = openCentralPool(settings.database, settings.dbPassword);
    this.drain = new SpoolDrain(
      this.spool,
      centralSink(this.pool),
      { error: events.error, log: events.log, passed: () => this.showStatus() },
      { secrets: settings.secrets, timing },
    );
    const client = connect(settings.broker.url, settings.broker.options);
    this.client = client;
    acknowledgeWhenKept(
      client,
      (topic, payload) => this.spool.add(topic, payload),
      (err) => this.drain.noteProblem(`spool write failed: ${err.message}`),
    );
    client.on('connect', (connack) => {
      if (this.brokerError) events.log(`connected to ${settings.broker.url} again`);
      this.brokerError = '';
      // A session the broker kept still has its subscription (and what waited for it).
      if (!connack.sessionPresent) client.subscribe(`${TOPIC_ROOT}/+/#`, { qos: 1 });
      this.showStatus();
    });
    client.on('close', () => {
      if (!this.closing) this.showStatus();
    });
    client.on('error', (err) => {
      const text = brokerProblem(err as Error & { code?: string | number }, settings.secrets);
      if (text !== this.brokerError) events.error(text);
      this.brokerError = text;
      this.showStatus();
    });
    this.drain.start();
  }

  /** Messages received and not yet in PostgreSQL. */
  get buffered(): number {
    return this.spool.size;
  }

  answer(q: ChainQuery): Promise<ChainAnswer> {
    return answerChainQuery(this.pool, q, this.settings.secrets);
  }

  /**
   * Leaves the broker (gracefully, forced after 2 s), lets the drain's pass under way end (its
   * committed batch leaves the spool), then closes the database pool and the spool.
   */
  close(done: () => void): void {
    this.closing = true;
    const drained = this.drain.stop();
    let ended = false;
    const afterBroker = () => {
      if (ended) return;
      ended = true;
      void drained
        .then(() => this.pool.end())
        .catch(() => undefined)
        .finally(() => {
          try {
            this.spool.close();
          } catch {
            // closed
          }
          done();
        });
    };
    this.client.end(!this.client.connected, {}, afterBroker);
    setTimeout(() => this.client.end(true, {}, afterBroker), 2000).unref();
  }

  private showStatus(): void {
    this.events.status(
      headOfficeStatus({
        databaseProblem: this.drain.problem,
        brokerProblem: this.brokerError,
        connected: this.client.connected,
        written: this.drain.written,
        refused: this.drain.refused,
        buffered: this.spool.size,
      }),
    );
  }
}
