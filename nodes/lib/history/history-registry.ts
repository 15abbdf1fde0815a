import path from 'node:path';
import type Database from 'better-sqlite3';
import type { HistoryWriteHook } from './write-hook';

/** What a running history offers the other parts of the process on its database. */
export interface OpenHistory {
  /** The database file (absolute). */
  readonly file: string;
  /**
   * A connection of its own to the database, schema brought up to date (WAL: it reads and deletes
   * while history writes), for the owner of a write hook to read and clear what its hook stored. It
   * outlives history's own connection (a hook's owner may still be sending while history closes
   * first); the caller closes it.
   */
  connect(): Database.Database;
}

/** Told when a history opens or closes a database (a deploy, a redeploy of one node, a replaced file). */
export interface HistoryWatcher {
  appeared(history: OpenHistory): void;
  gone(history: OpenHistory): void;
}

/**
 * The histories running in this process, by database file, and the write hooks others set on a
 * database. A hook is set on the file, not on a running history: it holds whichever history opens
 * that file, in whatever order the nodes start, and through a redeploy of either side alone. So the
 * store's uplink (nodes/lib/chain) hooks its outbox into history's writes and gets a connection to
 * read it from without knowing how history opens its file, and history knows nothing of the chain.
 */
export class HistoryRegistry {
  private readonly open = new Map<string, OpenHistory>();
  private readonly hooks = new Map<string, Map<string, HistoryWriteHook>>();
  private readonly watchers = new Map<string, Set<HistoryWatcher>>();

  /** Sets (or, with null, removes) the write hook `name` on the database `file`. */
  setHook(file: string, name: string, hook: HistoryWriteHook | null): void {
    const key = path.resolve(file);
    const hooks = this.hooks.get(key) ?? new Map<string, HistoryWriteHook>();
    if (hook) hooks.set(name, hook);
    else hooks.delete(name);
    if (hooks.size > 0) this.hooks.set(key, hooks);
    else this.hooks.delete(key);
  }

  /** The write hooks set on `file` now. */
  hooksOf(file: string): HistoryWriteHook[] {
    return [...(this.hooks.get(path.resolve(file))?.values() ?? [])];
  }

  /** A history opened its database: the watchers of the file are told. */
  offer(history: OpenHistory): void {
    const key = path.resolve(history.file);
    this.open.set(key, history);
    for (const w of [...(this.watchers.get(key) ?? [])]) w.appeared(history);
  }

  /** A history closed (or lost) its database: told only if it was the one offered. */
  withdraw(history: OpenHistory): void {
    const key = path.resolve(history.file);
    if (this.open.get(key) !== history) return;
    this.open.delete(key);
    for (const w of [...(this.watchers.get(key) ?? [])]) w.gone(history);
  }

  /** Watches `file`: `appeared` at once when a history has it open. Returns the end of watching. */
  watch(file: string, watcher: HistoryWatcher): () => void {
    const key = path.resolve(file);
    const set = this.watchers.get(key) ?? new Set<HistoryWatcher>();
    set.add(watcher);
    this.watchers.set(key, set);
    const current = this.open.get(key);
    if (current) watcher.appeared(current);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.watchers.get(key) === set) this.watchers.delete(key);
    };
  }
}

/** The one registry of this Node-RED process. */
export const historyRegistry = new HistoryRegistry();
