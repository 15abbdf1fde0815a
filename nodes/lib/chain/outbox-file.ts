import type Database from 'better-sqlite3';
import { migrate } from '../history/history-db';
import { openSqlite } from '../storage/sqlite-file';
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
    this.db = openSqlite(file, migrate);
    this.outbox = new Outbox(this.db);
  }

  /** From now on history queues its minutes for this store id (null: it stops). */
  setStore(store: string | null): void {
    setChainSetting(this.db, 'store', store);
  }

  close(): void {
    this.db.close();
  }
}
