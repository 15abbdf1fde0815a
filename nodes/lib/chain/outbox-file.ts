import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../history/history-db';
import { setChainSetting } from './chain-settings';
import { Outbox } from './outbox';

/**
 * The store uplink's own connection to the history database: the outbox it sends from, and the
 * store id it sets (history's writes queue their minutes while one is set). A second connection to
 * a WAL database: history's writes and the uplink's reads do not wait for each other.
 */
export class OutboxFile {
  readonly db: Database.Database;
  readonly outbox: Outbox;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db);
      this.outbox = new Outbox(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** From now on history queues its minutes for this store id (null: it stops). */
  setStore(store: string | null): void {
    setChainSetting(this.db, 'store', store);
  }

  close(): void {
    this.db.close();
  }
}
