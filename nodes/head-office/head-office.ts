import path from 'node:path';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { Pool } from 'pg';
import { brokerCredentials, brokerOptions, brokerProblem } from '../lib/chain/broker';
import { applyMessages, createCentralSchema } from '../lib/chain/central-db';
import { chainCsv, chainReport } from '../lib/chain/chain-report';
import { Spool } from '../lib/chain/spool';
import { TOPIC_ROOT } from '../lib/chain/topics';
import { redact } from '../lib/text/redact';
import { textSetting } from '../shared/config';
import { queryReply } from '../shared/query-reply';
import { reportConfigError, Status } from '../shared/status';

/** The editor's `defaults`; every key here is a field of head-office.html. */
interface HeadOfficeDef extends NodeDef {
  url: string;
  caFile: string;
  database: string;
  file: string;
  clientId: string;
}

interface HeadOfficeCredentials {
  username?: string;
  password?: string;
  dbPassword?: string;
}

type HttpMessage = NodeMessage & {
  req: { path?: string; query?: Record<string, unknown> };
  res: unknown;
  statusCode?: number;
  headers?: Record<string, string>;
};

const ignore = () => undefined;

/** Messages per PostgreSQL transaction. */
const BATCH = 500;
const IDLE_MS = 500;
const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30_000;

export = function (RED: NodeAPI): void {
  function HeadOfficeNode(this: Node<HeadOfficeCredentials>, config: HeadOfficeDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const file = path.resolve(userDir, textSetting(config.file) || path.join('data', 'head-office.db'));
    const url = textSetting(config.url);
    const database = textSetting(config.database);
    if (url === '' || database === '') {
      node.status(Status.idle(`off: no ${url === '' ? 'broker URL (MQTT_URL)' : 'database URL (PG_URL)'}`));
      return;
    }
    const { username, password } = brokerCredentials(node.credentials);
    const dbPassword = node.credentials?.dbPassword || process.env.PGPASSWORD || undefined;
    const secrets = [password ?? '', dbPassword ?? ''];
    let target: ReturnType<typeof brokerOptions>;
    let dbUrl: URL;
    try {
      target = brokerOptions({
        url,
        username,
        password,
        caFile: textSetting(config.caFile) || undefined,
        clientId: textSetting(config.clientId) || 'store-analytics-head-office',
        // Kept at the broker while head office is away: what it has not acknowledged waits there.
        persistentSession: true,
      });
      dbUrl = new URL(database);
      if (!/^postgres(ql)?:$/.test(dbUrl.protocol))
        throw new Error('the database URL must be postgres://user@host:5432/database');
      if (dbUrl.password)
        throw new Error('put the database password in the credentials (or PGPASSWORD), not in the URL');
    } catch (err) {
      reportConfigError(node, redact((err as Error).message, secrets));
      return;
    }

    let spool: Spool;
    try {
      spool = new Spool(file);
    } catch (err) {
      reportConfigError(node, `cannot open the spool ${file}: ${(err as Error).message}`);
      return;
    }
    const pool = new Pool({
      connectionString: database,
      password: dbPassword,
      max: 2,
      connectionTimeoutMillis: 5000,
    });
    // An idle client's connection lost (PostgreSQL restarted): the next query takes a new one.
    pool.on('error', () => undefined);
    let schemaReady = false;
    let closing = false;
    let brokerError = '';
    let dbError = '';
    let written = 0;
    let refused = 0;
    const reasons = new Set<string>();

    function showStatus(): void {
      const buffered = spool.size;
      const held = buffered > 0 ? ` · ${buffered} buffered` : '';
      if (dbError) node.status(Status.error(`PostgreSQL: ${dbError}${held}`));
      else if (brokerError) node.status(Status.error(`${brokerError}${held}`));
      else if (!client.connected) node.status(Status.connecting(`connecting${held}`));
      else node.status(Status.ok(`${written} written${refused ? `, ${refused} refused` : ''}${held}`));
    }

    const client: MqttClient = mqtt.connect(target.url, target.options);
    // Acknowledged to the broker only once on this disk (mqtt.js sends PUBACK after this callback).
    client.handleMessage = (packet: IPublishPacket, callback) => {
      try {
        spool.add(packet.topic, Buffer.from(packet.payload));
        callback();
      } catch (err) {
        dbError = dbError || `spool write failed: ${(err as Error).message}`;
        callback(err as Error);
      }
    };
    client.on('connect', (connack) => {
      if (brokerError) node.log(`connected to ${target.url} again`);
      brokerError = '';
      if (!connack.sessionPresent) client.subscribe(`${TOPIC_ROOT}/+/#`, { qos: 1 });
      showStatus();
    });
    client.on('close', () => {
      if (!closing) showStatus();
    });
    client.on('error', (err) => {
      const text = brokerProblem(err as Error & { code?: string | number }, secrets);
      if (text !== brokerError) node.error(text);
      brokerError = text;
      showStatus();
    });

    let retryMs = RETRY_MIN_MS;
    let timer: NodeJS.Timeout | null = null;
    /** The drain under way: closing waits for it, so a committed batch also leaves the spool. */
    let draining: Promise<void> = Promise.resolve();
    async function drain(): Promise<void> {
      timer = null;
      if (closing) return;
      let wait = IDLE_MS;
      try {
        const batch = spool.next(BATCH);
        if (batch.length > 0 || !schemaReady) {
          const db = await pool.connect();
          // A connection cut while it is checked out (PostgreSQL stopped) would be an uncaught error
          // event: the query under way fails instead, and the batch stays in the spool.
          db.on('error', ignore);
          try {
            if (!schemaReady) {
              await createCentralSchema(db);
              schemaReady = true;
            }
            if (batch.length > 0) {
              const outcome = await applyMessages(db, batch);
              spool.removeThrough(batch[batch.length - 1].id);
              written += outcome.written;
              refused += outcome.refused.length;
              for (const r of outcome.refused) {
                const key = r.reason;
                if (reasons.has(key)) continue;
                reasons.add(key);
                node.error(`a message on ${r.topic} was refused: ${r.reason}`, {
                  topic: r.topic,
                } as NodeMessage);
              }
              if (batch.length === BATCH) wait = 0;
            }
          } finally {
            db.off('error', ignore);
            db.release();
          }
        }
        if (dbError) node.log('PostgreSQL takes writes again: the buffered messages are written');
        dbError = '';
        retryMs = RETRY_MIN_MS;
      } catch (err) {
        const text = redact((err as Error).message, secrets) || String((err as { code?: string }).code);
        if (text !== dbError) node.error(`PostgreSQL write failed, messages stay buffered: ${text}`);
        dbError = text;
        wait = retryMs;
        retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
      }
      showStatus();
      if (!closing)
        timer = setTimeout(() => {
          draining = drain();
        }, wait);
    }
    draining = drain();

    async function answer(msg: NodeMessage, format: 'json' | 'csv', query: Record<string, unknown>) {
      const { fromHttp, reply } = queryReply(node, msg, 2);
      let db;
      try {
        db = await pool.connect();
        db.on('error', ignore);
      } catch (err) {
        const text = `PostgreSQL unreachable: ${redact((err as Error).message, secrets)}`;
        if (!fromHttp) node.error(text, msg);
        reply(
          503,
          format === 'json' ? { error: text } : `${text}\n`,
          format === 'json' ? 'application/json' : 'text/plain',
        );
        return;
      }
      try {
        if (format === 'json') reply(200, await chainReport(db), 'application/json; charset=utf-8');
        else {
          const r = await chainCsv(db, query);
          reply(200, r.csv, 'text/csv; charset=utf-8', {
            'content-disposition': `attachment; filename="chain-${r.date}-${r.step}.csv"`,
          });
        }
      } catch (err) {
        const e = err as Error & { statusCode?: number };
        const code = e.statusCode ?? 500;
        if (code >= 500 || !fromHttp) node.error(`chain query failed: ${e.message}`, msg);
        reply(code, format === 'json' ? { error: e.message } : `${e.message}\n`, 'text/plain; charset=utf-8');
      } finally {
        db.off('error', ignore);
        db.release();
      }
    }

    node.on('input', (msg, _send, done) => {
      const http = msg as Partial<HttpMessage>;
      const requestPath = http.req && http.res ? String(http.req.path ?? '') : '';
      const query = (
        requestPath
          ? (http.req!.query ?? {})
          : typeof msg.payload === 'object' && msg.payload
            ? msg.payload
            : {}
      ) as Record<string, unknown>;
      if (msg.topic === 'chain/report' || /\/chain$/.test(requestPath)) {
        answer(msg, 'json', query).then(() => done(), done);
      } else if (msg.topic === 'chain/csv' || /\/chain\.csv$/.test(requestPath)) {
        answer(msg, 'csv', query).then(() => done(), done);
      } else {
        done(
          new Error(
            'head-office answers msg.topic "chain/report" or "chain/csv", and HTTP requests on paths ending in /chain or /chain.csv',
          ),
        );
      }
    });

    node.on('close', (done: () => void) => {
      closing = true;
      if (timer) clearTimeout(timer);
      let ended = false;
      const afterBroker = () => {
        if (ended) return;
        ended = true;
        void draining
          .then(() => pool.end())
          .catch(() => undefined)
          .finally(() => {
            try {
              spool.close();
            } catch {
              // closed
            }
            node.status(Status.clear());
            done();
          });
      };
      client.end(!client.connected, {}, afterBroker);
      setTimeout(() => client.end(true, {}, afterBroker), 2000).unref();
    });
  }

  RED.nodes.registerType<Node<HeadOfficeCredentials>, HeadOfficeDef, unknown, HeadOfficeCredentials>(
    'head-office',
    HeadOfficeNode,
    {
      credentials: {
        username: { type: 'text' },
        password: { type: 'password' },
        dbPassword: { type: 'password' },
      },
    },
  );
};
