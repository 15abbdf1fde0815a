import type { Background, HistoryDb, HourHeat } from './history-db';
import { addMinute, MinuteRow } from './minute-row';

/** What a write attempt did. */
export interface WriteOutcome {
  written: number;
  /** Minute rows held in memory, waiting for the disk. */
  waiting: number;
  /** Minute rows dropped (the oldest) because memory held the most it may. */
  dropped: number;
  error: Error | null;
}

/**
 * Writes batches to the history database, one transaction each. When the disk is full, read-only
 * or gone, the batch stays in memory (bounded: the oldest minutes go first, and are counted) and is
 * written with the next attempt, whole.
 */
export class HistoryWriter {
  private minutes = new Map<string, MinuteRow>();
  private heat = new Map<string, HourHeat>();
  private backgrounds = new Map<string, Background>();
  dropped = 0;

  constructor(
    private readonly db: () => HistoryDb | null,
    readonly maxWaitingMinutes = 24 * 60 * 8,
  ) {}

  get waiting(): number {
    return this.minutes.size;
  }

  /** Adds a batch and writes everything waiting. */
  write(
    batch: {
      minutes?: readonly MinuteRow[];
      heat?: readonly HourHeat[];
      backgrounds?: readonly Background[];
    },
    now = Date.now(),
  ): WriteOutcome {
    for (const row of batch.minutes ?? []) {
      const key = `${row.cameraId}@${row.minute}`;
      const held = this.minutes.get(key);
      this.minutes.set(key, held ? addMinute(held, row) : row);
    }
    for (const h of batch.heat ?? []) this.heat.set(`${h.cameraId}@${h.hour}`, h);
    // Hour grids are bounded alike: as many camera-hours as the minutes' camera-minutes.
    const maxGrids = Math.ceil(this.maxWaitingMinutes / 60);
    if (this.heat.size > maxGrids) {
      const oldest = [...this.heat.entries()].sort((a, b) => a[1].hour - b[1].hour);
      for (const [key] of oldest.slice(0, this.heat.size - maxGrids)) this.heat.delete(key);
    }
    for (const b of batch.backgrounds ?? []) this.backgrounds.set(b.cameraId, b);
    let dropped = 0;
    if (this.minutes.size > this.maxWaitingMinutes) {
      const oldest = [...this.minutes.entries()].sort((a, b) => a[1].minute - b[1].minute);
      for (const [key] of oldest.slice(0, this.minutes.size - this.maxWaitingMinutes)) {
        this.minutes.delete(key);
        dropped++;
      }
      this.dropped += dropped;
    }
    const count = this.minutes.size;
    if (count === 0 && this.heat.size === 0 && this.backgrounds.size === 0) {
      return { written: 0, waiting: 0, dropped, error: null };
    }
    const db = this.db();
    if (!db)
      return { written: 0, waiting: count, dropped, error: new Error('the history database is not open') };
    try {
      db.write(
        {
          minutes: [...this.minutes.values()].sort((a, b) => a.minute - b.minute),
          heat: [...this.heat.values()],
          backgrounds: [...this.backgrounds.values()],
        },
        now,
      );
    } catch (err) {
      return { written: 0, waiting: count, dropped, error: err as Error };
    }
    this.minutes.clear();
    this.heat.clear();
    this.backgrounds.clear();
    return { written: count, waiting: 0, dropped, error: null };
  }
}
