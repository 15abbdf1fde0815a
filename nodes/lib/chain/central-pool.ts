import { Pool, type PoolClient } from 'pg';
import { applyMessages, createCentralSchema } from './central-db';
import type { CentralSink } from './spool-drain';

/** The part of a pg Pool head office uses (a fake in unit tests). */
export interface CentralPool {
  connect(): Promise<PoolClient>;
}

const ignore = () => undefined;

/** Head office's connections to the central database: two at most (the drain and a query). */
export function openCentralPool(database: string, password: string | undefined): Pool {
  const pool = new Pool({ connectionString: database, password, max: 2, connectionTimeoutMillis: 5000 });
  // An idle client's connection lost (PostgreSQL restarted): the next query takes a new one.
  pool.on('error', ignore);
  return pool;
}

/**
 * Runs `work` on a connection of the pool and gives it back. A connection cut while it is checked out
 * (PostgreSQL stopped) would be an uncaught error event: the query under way fails instead.
 */
export async function withCentralConnection<T>(
  pool: CentralPool,
  work: (db: PoolClient) => Promise<T>,
): Promise<T> {
  const db = await pool.connect();
  db.on('error', ignore);
  try {
    return await work(db);
  } finally {
    db.off('error', ignore);
    db.release();
  }
}

/** The spool drain's sink: the central database, over the pool. */
export function centralSink(pool: CentralPool): CentralSink {
  return {
    write: (batch, createSchema) =>
      withCentralConnection(pool, async (db) => {
        if (createSchema) await createCentralSchema(db);
        return batch.length > 0 ? applyMessages(db, batch) : { written: 0, duplicates: 0, refused: [] };
      }),
  };
}
