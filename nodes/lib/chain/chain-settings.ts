import type Database from 'better-sqlite3';

/**
 * The history database's `chain` table (schema 6): what the store's uplink set, read by history's
 * writes in their transaction. Keys: "store" (the store id; while set, writes queue their minutes),
 * "heat:<camera>" (the last hour of heat queued).
 */
export function chainSetting(db: Database.Database, key: string): string | null {
  return (db.prepare('SELECT value FROM chain WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

export function setChainSetting(db: Database.Database, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM chain WHERE key = ?').run(key);
  else db.prepare('INSERT OR REPLACE INTO chain (key, value) VALUES (?, ?)').run(key, value);
}
