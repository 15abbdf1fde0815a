import type Database from 'better-sqlite3';
import type { BackgroundPicture } from '../image/camera-backgrounds';
import type { HourHeat } from './hour-heat';
import type { MinuteRow, StoredMinute } from './minute-row';

/** What one history write stores (HistoryDb.write's batch). */
export interface HistoryBatch {
  minutes?: readonly MinuteRow[];
  heat?: readonly HourHeat[];
  backgrounds?: readonly BackgroundPicture[];
}

/** The history database as a write hook sees it, inside the write's transaction. */
export interface HistoryTransaction {
  /** The connection the write runs on: a hook's own statements join the transaction. */
  readonly connection: Database.Database;
  /** A camera's minutes in [from, to), as they stand with this write. */
  minutes(cameraId: string, from: number, to: number): Iterable<StoredMinute>;
  /** A camera's hour grids in [from, to), as they stand with this write. */
  heatHours(cameraId: string, from: number, to: number): HourHeat[];
}

/**
 * Something that must happen with every history write, all or nothing with it: `written` runs
 * inside the write's transaction after its rows, so what it stores commits with them, and an error
 * it throws rolls the whole write back (kept in memory and tried again, as any failed write). The
 * chain's outbox is one: a minute in history is then a minute on its way to head office, whenever
 * the process dies. History knows nothing of who hooks in.
 */
export interface HistoryWriteHook {
  written(tx: HistoryTransaction, batch: HistoryBatch): void;
}
