import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite-file';

/** A message as received from the broker, waiting for the central database. */
export interface SpooledMessage {
  id: number;
  topic: string;
  payload: Buffer;
  receivedAt: number;
}

/**
 * Head office's inbox on its own disk (SQLite, WAL): a message is acknowledged to the broker only
 * once it is here, and leaves only once PostgreSQL committed it. With PostgreSQL down the spool
 * grows; with head office killed, the broker sends again what was not acknowledged.
 */
export class Spool {
  readonly db: Database.Database;
  private readonly statements;

  constructor(readonly file: string) {
    this.db = openSqlite(file, (db) =>
      db.exec(
        `CREATE TABLE IF NOT EXISTS spool (
           id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload BLOB NOT NULL,
           received_at INTEGER NOT NULL)`,
      ),
    );
    this.statements = {
      add: this.db.prepare('INSERT INTO spool (topic, payload, received_at) VALUES (?, ?, ?)'),
      next: this.db.prepare('SELECT id, topic, payload, received_at FROM spool ORDER BY id LIMIT ?'),
      remove: this.db.prepare('DELETE FROM spool WHERE id <= ?'),
      count: this.db.prepare('SELECT count(*) FROM spool').pluck(),
    };
  }

  add(topic: string, payload: Buffer, now = Date.now()): void {
    this.statements.add.run(topic, payload, now);
  }

  /** The oldest `limit` messages, in the order received. */
  next(limit: number): SpooledMessage[] {
    return (
      this.statements.next.all(limit) as Array<{
        id: number;
        topic: string;
        payload: Buffer;
        received_at: number;
      }>
    ).map((r) => ({ id: r.id, topic: r.topic, payload: r.payload, receivedAt: r.received_at }));
  }

  /** Everything up to and including `id` is in the central database. */
  removeThrough(id: number): void {
    this.statements.remove.run(id);
  }

  get size(): number {
    return this.statements.count.get() as number;
  }

  close(): void {
    this.db.close();
  }
}
