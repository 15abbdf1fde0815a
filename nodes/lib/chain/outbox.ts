import type Database from 'better-sqlite3';
import type { MessageKind } from './topics';

/** A message waiting for the broker's acknowledgement. */
export interface OutboxMessage {
  seq: number;
  kind: MessageKind;
  topic: string;
  /** The JSON payload, its `seq` filled in. */
  payload: string;
  /** ms: the time it reports (a minute's start, an event's moment). */
  at: number;
}

export interface OutboxItem {
  kind: MessageKind;
  topic: string;
  /** The payload without its seq (given here, in order). */
  body: Record<string, unknown>;
  at: number;
}

const DAY_MS = 86_400_000;

/**
 * What a store box has not yet got acknowledged by the broker, in the history database (its table
 * comes with the history schema): added in one transaction, read oldest first, removed when the
 * broker acknowledges. The row id is the store's sequence number: increasing and never reused, so
 * the centre can drop a message it already has by (store, seq).
 */
export class Outbox {
  private readonly statements;

  constructor(readonly db: Database.Database) {
    this.statements = {
      add: db.prepare('INSERT INTO outbox (kind, topic, body, at) VALUES (?, ?, ?, ?) RETURNING seq'),
      next: db.prepare('SELECT seq, kind, topic, body, at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      ack: db.prepare('DELETE FROM outbox WHERE seq = ?'),
      prune: db.prepare('DELETE FROM outbox WHERE at < ?'),
      stats: db.prepare(
        `SELECT count(*) AS messages, count(DISTINCT CASE WHEN kind = 'minute' THEN at END) AS minutes,
           min(at) AS oldest FROM outbox`,
      ),
    };
  }

  /** Adds messages, in order, in one transaction; returns their sequence numbers. */
  add(items: readonly OutboxItem[]): number[] {
    return this.db.transaction(() =>
      items.map((i) => {
        if ('seq' in i.body) throw new Error('an outbox message gets its seq from the outbox');
        return (this.statements.add.get(i.kind, i.topic, JSON.stringify(i.body), i.at) as { seq: number })
          .seq;
      }),
    )();
  }

  /** Up to `limit` messages after `afterSeq`, oldest first. */
  next(afterSeq: number, limit: number): OutboxMessage[] {
    return (
      this.statements.next.all(afterSeq, limit) as Array<{
        seq: number;
        kind: MessageKind;
        topic: string;
        body: string;
        at: number;
      }>
    ).map((r) => ({
      seq: r.seq,
      kind: r.kind,
      topic: r.topic,
      // The seq goes last into the JSON text: no parse and stringify of every message sent.
      payload: r.body === '{}' ? `{"seq":${r.seq}}` : `${r.body.slice(0, -1)},"seq":${r.seq}}`,
      at: r.at,
    }));
  }

  /** The broker has them: they leave the outbox. */
  ack(seqs: readonly number[]): void {
    this.db.transaction(() => {
      for (const seq of seqs) this.statements.ack.run(seq);
    })();
  }

  /** Drops what waited longer than `days` (the bound); returns how many were dropped. */
  prune(days: number, now = Date.now()): number {
    return this.statements.prune.run(now - days * DAY_MS).changes;
  }

  /** What waits: messages, distinct minutes (the status's "12 min queued"), the oldest's time. */
  stats(): { messages: number; minutes: number; oldest: number | null } {
    return this.statements.stats.get() as { messages: number; minutes: number; oldest: number | null };
  }
}
