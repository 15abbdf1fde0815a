import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens (or makes) a SQLite file as this package keeps its databases: WAL, so readers and the writer
 * do not wait for each other; synchronous NORMAL, so a committed write survives the process being
 * killed (it is in the WAL, in the OS's cache) and only a power cut may take the last ones; a busy
 * timeout for a second connection's write. `prepare` runs on the open database (schema steps); on an
 * error there the file is closed again.
 */
export function openSqlite(
  file: string,
  prepare: (db: Database.Database) => void = () => undefined,
): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    prepare(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
