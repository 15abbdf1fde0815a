import type Database from 'better-sqlite3';
import type { HistoryBatch, HistoryTransaction, HistoryWriteHook } from '../history/write-hook';
import { MINUTE_MS } from '../time/local-time';
import { chainSetting, setChainSetting } from './chain-settings';
import { Outbox, type OutboxItem } from './outbox';
import { heatItem, minuteItem } from './payloads';

/**
 * History's write hook for a store that reports to head office: every write queues its minutes
 * (whole, as they stand after it) and the hours of heat it ended in the outbox, in the write's own
 * transaction. A minute in history is so a minute on its way to head office, whenever the process
 * dies; the uplink sends the outbox (Uplink) and nothing else puts minutes in it.
 */
export class OutboxHook implements HistoryWriteHook {
  /** Why the last write queued nothing for head office (a camera id that cannot be a topic); '' if none. */
  problem = '';
  private readonly outboxes = new WeakMap<Database.Database, Outbox>();

  /** `store`: the store id head office knows this box by. */
  constructor(readonly store: string) {}

  written(tx: HistoryTransaction, batch: HistoryBatch): void {
    const items = this.itemsOf(tx, batch);
    if (items.length === 0) return;
    let outbox = this.outboxes.get(tx.connection);
    if (!outbox) {
      outbox = new Outbox(tx.connection);
      this.outboxes.set(tx.connection, outbox);
    }
    outbox.add(items);
  }

  /** The outbox messages of a write: its minutes as they now stand, and the hours of heat it ended. */
  private itemsOf(tx: HistoryTransaction, batch: HistoryBatch): OutboxItem[] {
    const items: OutboxItem[] = [];
    const problems: string[] = [];
    const done = new Set<string>();
    for (const row of batch.minutes ?? []) {
      const key = `${row.cameraId}\n${row.minute}`;
      if (done.has(key)) continue;
      done.add(key);
      try {
        for (const m of tx.minutes(row.cameraId, row.minute, row.minute + MINUTE_MS))
          items.push(minuteItem(this.store, m));
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    // An hour's grid goes once it is over: when a later hour of its camera is written.
    for (const h of batch.heat ?? []) {
      const key = `heat:${h.cameraId}`;
      const held = chainSetting(tx.connection, key);
      if (held === null) {
        // The first hour seen since the store reports: hours before it stay at the store.
        setChainSetting(tx.connection, key, String(h.hour - 1));
        continue;
      }
      const ended = tx.heatHours(h.cameraId, Number(held) + 1, h.hour);
      try {
        for (const hour of ended) items.push(heatItem(this.store, hour));
      } catch (err) {
        problems.push((err as Error).message);
        continue;
      }
      if (ended.length > 0) setChainSetting(tx.connection, key, String(ended[ended.length - 1].hour));
    }
    this.problem = problems[0] ?? '';
    return items;
  }
}
