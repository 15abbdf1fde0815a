import type Database from 'better-sqlite3';

/**
 * The `chain` table in history's database (schema 6), kept by the outbox's write hook in history's
 * write transaction. Key: "heat:<camera>" (the last hour of heat queued). (Databases of earlier
 * versions also hold "store", the store id the uplink set there: no longer read, the hook carries it.)
 */
export function chainSetting(db: Database.Database, key: string): string | null {
  return (db.prepare('SELECT value FROM chain WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

export function setChainSetting(db: Database.Database, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM chain WHERE key = ?').run(key);
  else db.prepare('INSERT OR REPLACE INTO chain (key, value) VALUES (?, ?)').run(key, value);
}
