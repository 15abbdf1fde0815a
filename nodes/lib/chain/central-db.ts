import { inflateRawSync } from 'node:zlib';
import type { ClientBase } from 'pg';
import { checkMinutePayload, footfallOf, type EventPayload, type HeatPayload } from './payloads';
import { checkEnvelope, parseTopic } from './topics';

/**
 * Head office's PostgreSQL schema. Every write is idempotent: a minute is upserted on (store,
 * camera, minute) and kept only from a higher seq (a store sends a minute whole each time it grows),
 * an event is keyed by (store, seq), an hour of heat by (store, camera, hour). A message seen again
 * changes nothing and is counted in sa_stores.duplicates; sa_stores.minute_messages counts every minute
 * message received (sent again or not).
 */
export const CENTRAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS sa_minutes (
  store text NOT NULL, camera text NOT NULL, minute timestamptz NOT NULL,
  covered_s real NOT NULL, people_s real NOT NULL, people_max integer NOT NULL,
  visitors integer NOT NULL, activity_s real,
  footfall_in integer, footfall_out integer,
  lines jsonb NOT NULL, zones jsonb NOT NULL,
  seq bigint NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store, camera, minute));
CREATE TABLE IF NOT EXISTS sa_events (
  store text NOT NULL, seq bigint NOT NULL, camera text NOT NULL, at timestamptz NOT NULL,
  kind text NOT NULL, body jsonb NOT NULL,
  PRIMARY KEY (store, seq));
CREATE INDEX IF NOT EXISTS sa_events_at ON sa_events (at);
CREATE TABLE IF NOT EXISTS sa_heat_hours (
  store text NOT NULL, camera text NOT NULL, hour timestamptz NOT NULL,
  cols integer NOT NULL, rows integer NOT NULL, width integer NOT NULL, height integer NOT NULL,
  peak real NOT NULL, cells bytea NOT NULL, seq bigint NOT NULL,
  PRIMARY KEY (store, camera, hour));
CREATE TABLE IF NOT EXISTS sa_state (
  store text NOT NULL, camera text NOT NULL, at timestamptz NOT NULL, state jsonb NOT NULL,
  PRIMARY KEY (store, camera));
CREATE TABLE IF NOT EXISTS sa_stores (
  store text PRIMARY KEY, online boolean NOT NULL DEFAULT false, status_at timestamptz,
  last_seen timestamptz, duplicates bigint NOT NULL DEFAULT 0, minute_messages bigint NOT NULL DEFAULT 0);
`;

export async function createCentralSchema(db: ClientBase): Promise<void> {
  await db.query(CENTRAL_SCHEMA);
}

/** What one batch did. */
export interface ApplyOutcome {
  /** Rows inserted or updated. */
  written: number;
  /** Messages already there (the same or a newer seq). */
  duplicates: number;
  /** Messages refused (not of the tree, a bad payload), with why: reported, not retried. */
  refused: Array<{ topic: string; reason: string }>;
}

/** A received message, parsed and checked; refused ones say why. */
type Parsed =
  | { kind: 'status'; store: string; online: boolean }
  | {
      kind: 'minute' | 'event' | 'heat' | 'state';
      store: string;
      camera: string;
      p: Record<string, unknown>;
    };

export function parseMessage(topic: string, payload: Buffer): Parsed {
  const where = parseTopic(topic);
  if (!where) throw new Error('not a topic of store-analytics/');
  const text = payload.toString('utf8');
  if (where.kind === 'status') {
    if (text !== 'online' && text !== 'offline')
      throw new Error(`a status is online or offline, not "${text}"`);
    return { kind: 'status', store: where.store, online: text === 'online' };
  }
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch {
    throw new Error('the payload is not JSON');
  }
  const e = checkEnvelope(topic, p);
  if (where.kind === 'minute') checkMinutePayload(p as Record<string, unknown>);
  return { kind: where.kind, store: e.store, camera: e.camera, p: p as Record<string, unknown> };
}

/**
 * Writes a batch of received messages in one transaction (all of it or, on an error, none: the
 * caller keeps them and tries again).
 */
export async function applyMessages(
  db: ClientBase,
  messages: ReadonlyArray<{ topic: string; payload: Buffer }>,
): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { written: 0, duplicates: 0, refused: [] };
  const duplicatesOf = new Map<string, number>();
  const minutesOf = new Map<string, number>();
  const seen = new Map<string, Date>();
  await db.query('BEGIN');
  try {
    for (const m of messages) {
      let parsed: Parsed;
      try {
        parsed = parseMessage(m.topic, m.payload);
      } catch (err) {
        out.refused.push({ topic: m.topic, reason: (err as Error).message });
        continue;
      }
      const changed = await applyOne(db, parsed);
      if (parsed.kind === 'minute') minutesOf.set(parsed.store, (minutesOf.get(parsed.store) ?? 0) + 1);
      if (parsed.kind !== 'status' && parsed.kind !== 'state') {
        if (changed) out.written++;
        else {
          out.duplicates++;
          duplicatesOf.set(parsed.store, (duplicatesOf.get(parsed.store) ?? 0) + 1);
        }
      } else if (changed) out.written++;
      seen.set(parsed.store, new Date());
    }
    for (const [store, at] of seen) {
      await db.query(
        `INSERT INTO sa_stores (store, last_seen, duplicates, minute_messages) VALUES ($1, $2, $3, $4)
         ON CONFLICT (store) DO UPDATE SET last_seen = excluded.last_seen,
           duplicates = sa_stores.duplicates + excluded.duplicates,
           minute_messages = sa_stores.minute_messages + excluded.minute_messages`,
        [store, at, duplicatesOf.get(store) ?? 0, minutesOf.get(store) ?? 0],
      );
    }
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return out;
}

/** Writes one message; false when it changed nothing (already there). */
async function applyOne(db: ClientBase, m: Parsed): Promise<boolean> {
  if (m.kind === 'status') {
    await db.query(
      `INSERT INTO sa_stores (store, online, status_at) VALUES ($1, $2, now())
       ON CONFLICT (store) DO UPDATE SET online = excluded.online, status_at = excluded.status_at`,
      [m.store, m.online],
    );
    return true;
  }
  const p = m.p;
  const time = new Date(p.time as string);
  if (m.kind === 'minute') {
    const lines = p.lines as Record<string, { in: number; out: number }>;
    const footfall = footfallOf(lines);
    const r = await db.query(
      `INSERT INTO sa_minutes (store, camera, minute, covered_s, people_s, people_max, visitors, activity_s,
         footfall_in, footfall_out, lines, zones, seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (store, camera, minute) DO UPDATE SET covered_s = excluded.covered_s,
         people_s = excluded.people_s, people_max = excluded.people_max, visitors = excluded.visitors,
         activity_s = excluded.activity_s, footfall_in = excluded.footfall_in,
         footfall_out = excluded.footfall_out, lines = excluded.lines, zones = excluded.zones,
         seq = excluded.seq, received_at = now()
       WHERE sa_minutes.seq < excluded.seq`,
      [
        m.store,
        m.camera,
        time,
        p.covered_s,
        p.people_s,
        p.people_max,
        p.visitors,
        p.activity_s,
        footfall.in,
        footfall.out,
        JSON.stringify(lines),
        JSON.stringify(p.zones),
        p.seq,
      ],
    );
    return (r.rowCount ?? 0) > 0;
  }
  if (m.kind === 'event') {
    const e = p as unknown as EventPayload;
    const r = await db.query(
      `INSERT INTO sa_events (store, seq, camera, at, kind, body) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (store, seq) DO NOTHING`,
      [m.store, e.seq, m.camera, time, e.kind, JSON.stringify(p)],
    );
    return (r.rowCount ?? 0) > 0;
  }
  if (m.kind === 'heat') {
    const h = p as unknown as HeatPayload;
    const cells = inflateRawSync(Buffer.from(h.cells, 'base64'));
    if (cells.length !== h.cols * h.rows) throw new Error(`heat of ${m.store}/${m.camera}: grid size`);
    const r = await db.query(
      `INSERT INTO sa_heat_hours (store, camera, hour, cols, rows, width, height, peak, cells, seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (store, camera, hour) DO UPDATE SET cols = excluded.cols, rows = excluded.rows,
         width = excluded.width, height = excluded.height, peak = excluded.peak, cells = excluded.cells,
         seq = excluded.seq
       WHERE sa_heat_hours.seq < excluded.seq`,
      [m.store, m.camera, time, h.cols, h.rows, h.width, h.height, h.peak, cells, h.seq],
    );
    return (r.rowCount ?? 0) > 0;
  }
  const r = await db.query(
    `INSERT INTO sa_state (store, camera, at, state) VALUES ($1, $2, $3, $4)
     ON CONFLICT (store, camera) DO UPDATE SET at = excluded.at, state = excluded.state
     WHERE sa_state.at <= excluded.at`,
    [m.store, m.camera, time, JSON.stringify(p)],
  );
  return (r.rowCount ?? 0) > 0;
}
