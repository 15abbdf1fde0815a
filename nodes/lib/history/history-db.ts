import { statSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { BackgroundPicture } from '../image/camera-backgrounds';
import { openSqlite } from '../storage/sqlite-file';
import { MINUTE_MS } from '../time/local-time';
import type { HourHeat } from './hour-heat';
import type { Cursor, StoredMinute } from './minute-row';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import type { HistoryBatch, HistoryTransaction, HistoryWriteHook } from './write-hook';

export type { HourHeat } from './hour-heat';
export type { StoredMinute } from './minute-row';

/** A person-free picture of a camera's view (raw RGB), as the heatmap sends it. */
export type Background = BackgroundPicture;

/** What opening found of the run before this one. */
export interface PreviousRun {
  startedAt: number;
  /** ms of its last write; null when it wrote nothing. */
  lastWrite: number | null;
  /** false: it ended without closing (killed, crashed, power cut): its last minute is lost. */
  closedCleanly: boolean;
}

const encodeCells = (cells: Float32Array): Buffer =>
  deflateRawSync(Buffer.from(cells.buffer, cells.byteOffset, cells.byteLength));
function decodeCells(blob: Buffer, count: number): Float32Array {
  const raw = inflateRawSync(blob);
  if (raw.byteLength !== count * 4)
    throw new Error(`a heat grid holds ${raw.byteLength / 4} cells, not ${count}`);
  // Copied: the inflated buffer may sit at an offset a Float32Array cannot start at.
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

/** The tables of minute rows, and of their sums by quarter hour (the same columns). */
const TABLES = {
  minute: { rows: 'minutes', lines: 'line_minutes', zones: 'zone_minutes' },
  quarter: { rows: 'quarters', lines: 'line_quarters', zones: 'zone_quarters' },
} as const;
export type Grain = keyof typeof TABLES;
const QUARTER_MINUTES = 15;

/** Statements adding a minute's numbers to its row (a minute, or its quarter hour). */
function upserts(db: Database.Database, grain: Grain) {
  const t = TABLES[grain];
  return {
    row: db.prepare(
      `INSERT INTO ${t.rows} (camera, minute, covered_s, people_s, people_max, visitors, activity_s)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (camera, minute) DO UPDATE SET covered_s = covered_s + excluded.covered_s,
         people_s = people_s + excluded.people_s, people_max = max(people_max, excluded.people_max),
         visitors = visitors + excluded.visitors,
         activity_s = coalesce(activity_s, 0) + excluded.activity_s`,
    ),
    line: db.prepare(
      `INSERT INTO ${t.lines} (camera, minute, line, in_count, out_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (camera, minute, line) DO UPDATE SET in_count = in_count + excluded.in_count,
         out_count = out_count + excluded.out_count`,
    ),
    zone: db.prepare(
      `INSERT INTO ${t.zones} (camera, minute, zone, occupancy_s, occupancy_max, visits, dwells, dwell_s)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (camera, minute, zone) DO UPDATE SET occupancy_s = occupancy_s + excluded.occupancy_s,
         occupancy_max = max(occupancy_max, excluded.occupancy_max), visits = visits + excluded.visits,
         dwells = dwells + excluded.dwells, dwell_s = dwell_s + excluded.dwell_s`,
    ),
  };
}

/**
 * The history database (SQLite through better-sqlite3, in WAL mode): minute rows per camera with
 * their line and zone rows, each hour's heat grid, each camera's background, and the running totals
 * history has taken (cursors). Each write is one transaction: a process killed at any moment leaves
 * every earlier write whole. Write hooks (HistoryWriteHook) join each write's transaction.
 */
export class HistoryDb implements HistoryTransaction {
  readonly db: Database.Database;
  readonly previousRun: PreviousRun | null;
  private readonly runStartedAt: number;
  private readonly ids = new Map<string, number>();
  private readonly statements;
  /**
   * `hooks` gives, at each write, what must happen with it (see HistoryWriteHook): read afresh each
   * time, so a hook added or removed while the database is open counts from the next write.
   */
  constructor(
    readonly file: string,
    now = Date.now(),
    private readonly hooks: () => Iterable<HistoryWriteHook> = () => [],
  ) {
    this.db = openSqlite(file);
    try {
      migrate(this.db);
      this.reloadNames();
      const last = this.db
        .prepare('SELECT started_at, last_write, ended_at FROM runs ORDER BY started_at DESC LIMIT 1')
        .get() as { started_at: number; last_write: number | null; ended_at: number | null } | undefined;
      this.previousRun = last
        ? { startedAt: last.started_at, lastWrite: last.last_write, closedCleanly: last.ended_at !== null }
        : null;
      // A run starting in the same ms as the last one (tests) takes the next ms.
      this.runStartedAt = Math.max(now, (last?.started_at ?? 0) + 1);
      this.db.prepare('INSERT INTO runs (started_at) VALUES (?)').run(this.runStartedAt);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.statements = {
      name: this.db.prepare('INSERT INTO names (kind, name) VALUES (?, ?) RETURNING id'),
      minute: upserts(this.db, 'minute'),
      quarter: upserts(this.db, 'quarter'),
      cursor: this.db.prepare(
        `INSERT INTO cursors (camera, key, period, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (camera, key) DO UPDATE SET period = excluded.period, value = excluded.value`,
      ),
      heat: this.db.prepare(
        `INSERT OR REPLACE INTO heat_hours (camera, hour, started_at, cols, rows, cell_size, width, height, cells)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      background: this.db.prepare(
        `INSERT OR REPLACE INTO backgrounds (camera, width, height, updated_at, frames, pixels)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      wrote: this.db.prepare('UPDATE runs SET last_write = ? WHERE started_at = ?'),
    };
  }

  /** The id of a camera, line or zone name (made on first use). */
  private id(kind: 'camera' | 'line' | 'zone', name: string): number {
    const key = `${kind}:${name}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = (this.statements.name.get(kind, name) as { id: number }).id;
      this.ids.set(key, id);
    }
    return id;
  }

  private lookup(kind: 'camera' | 'line' | 'zone', name: string): number | undefined {
    return this.ids.get(`${kind}:${name}`);
  }

  private nameOf(kind: string): Map<number, string> {
    const out = new Map<number, string>();
    for (const [key, id] of this.ids) if (key.startsWith(`${kind}:`)) out.set(id, key.slice(kind.length + 1));
    return out;
  }

  /**
   * Writes minute rows (added to what the minute already holds), hour grids (replacing the hour's),
   * backgrounds and the cursors of the rows, in one transaction: all of it or, on an error, none.
   */
  write(batch: HistoryBatch, now = Date.now()): void {
    const s = this.statements;
    const tx = this.db.transaction(() => {
      for (const row of batch.minutes ?? []) {
        const camera = this.id('camera', row.cameraId);
        const minute = Math.floor(row.minute / MINUTE_MS);
        const keys = [
          [s.minute, minute],
          [s.quarter, minute - (minute % QUARTER_MINUTES)],
        ] as const;
        for (const [u, key] of keys) {
          u.row.run(
            camera,
            key,
            row.coveredSeconds,
            row.peopleSeconds,
            row.peopleMax,
            row.visitors,
            row.activitySeconds,
          );
          for (const [name, l] of Object.entries(row.lines))
            u.line.run(camera, key, this.id('line', name), l.in, l.out);
          for (const [name, z] of Object.entries(row.zones))
            u.zone.run(
              camera,
              key,
              this.id('zone', name),
              z.occupancySeconds,
              z.occupancyMax,
              z.visits,
              z.dwells,
              z.dwellSeconds,
            );
        }
        for (const [key, c] of Object.entries(row.cursors)) s.cursor.run(camera, key, c.period, c.value);
      }
      for (const h of batch.heat ?? []) {
        s.heat.run(
          this.id('camera', h.cameraId),
          h.hour,
          h.startedAt,
          h.cols,
          h.rows,
          h.cellSize,
          h.width,
          h.height,
          encodeCells(h.cells),
        );
      }
      for (const b of batch.backgrounds ?? []) {
        s.background.run(this.id('camera', b.cameraId), b.width, b.height, b.updatedAt, b.frames, b.pixels);
      }
      for (const hook of this.hooks()) hook.written(this, batch);
      s.wrote.run(now, this.runStartedAt);
    });
    try {
      tx();
    } catch (err) {
      // Names made inside the rolled-back transaction no longer exist: read them again.
      this.reloadNames();
      throw err;
    }
  }

  private reloadNames(): void {
    this.ids.clear();
    for (const row of this.db.prepare('SELECT id, kind, name FROM names').all() as Array<{
      id: number;
      kind: string;
      name: string;
    }>)
      this.ids.set(`${row.kind}:${row.name}`, row.id);
  }

  get connection(): Database.Database {
    return this.db;
  }

  /** The running totals last written for a camera. */
  cursors(cameraId: string): Map<string, Cursor> {
    const out = new Map<string, Cursor>();
    const camera = this.lookup('camera', cameraId);
    if (camera === undefined) return out;
    for (const row of this.db
      .prepare('SELECT key, period, value FROM cursors WHERE camera = ?')
      .all(camera) as Array<Cursor & { key: string }>)
      out.set(row.key, { period: row.period, value: row.value });
    return out;
  }

  /** Cameras with minute rows, and the first minute of each (ms). */
  cameras(): Array<{ cameraId: string; firstMinute: number; lastMinute: number }> {
    const names = this.nameOf('camera');
    // Per camera, so that each min and max is one look in the key (a GROUP BY reads every row).
    return (
      this.db
        .prepare(
          `SELECT id AS camera, (SELECT min(minute) FROM minutes WHERE camera = id) AS first,
             (SELECT max(minute) FROM minutes WHERE camera = id) AS last
           FROM names WHERE kind = 'camera'`,
        )
        .all() as Array<{ camera: number; first: number | null; last: number | null }>
    )
      .filter(
        (r): r is { camera: number; first: number; last: number } => r.first !== null && names.has(r.camera),
      )
      .map((r) => ({
        cameraId: names.get(r.camera)!,
        firstMinute: r.first * MINUTE_MS,
        lastMinute: r.last * MINUTE_MS,
      }))
      .sort((a, b) => a.cameraId.localeCompare(b.cameraId));
  }

  /**
   * A camera's minutes in [from, to) (ms), in order, with their line and zone rows; or, by `grain`
   * "quarter", their sums by quarter hour (`minute` the quarter's start): for hours and days.
   */
  *minutes(cameraId: string, from: number, to: number, grain: Grain = 'minute'): Generator<StoredMinute> {
    const camera = this.lookup('camera', cameraId);
    if (camera === undefined) return;
    const t = TABLES[grain];
    const lo = Math.ceil(from / MINUTE_MS);
    const hi = Math.ceil(to / MINUTE_MS);
    const lineNames = this.nameOf('line');
    const zoneNames = this.nameOf('zone');
    const lines = new Map<number, StoredMinute['lines']>();
    for (const r of this.db
      .prepare(
        `SELECT minute, line, in_count, out_count FROM ${t.lines} WHERE camera = ? AND minute >= ? AND minute < ?`,
      )
      .iterate(camera, lo, hi) as IterableIterator<{
      minute: number;
      line: number;
      in_count: number;
      out_count: number;
    }>) {
      const m = lines.get(r.minute) ?? {};
      m[lineNames.get(r.line) ?? `line ${r.line}`] = { in: r.in_count, out: r.out_count };
      lines.set(r.minute, m);
    }
    const zones = new Map<number, StoredMinute['zones']>();
    for (const r of this.db
      .prepare(
        `SELECT minute, zone, occupancy_s, occupancy_max, visits, dwells, dwell_s FROM ${t.zones}
         WHERE camera = ? AND minute >= ? AND minute < ?`,
      )
      .iterate(camera, lo, hi) as IterableIterator<{
      minute: number;
      zone: number;
      occupancy_s: number;
      occupancy_max: number;
      visits: number;
      dwells: number;
      dwell_s: number;
    }>) {
      const m = zones.get(r.minute) ?? {};
      m[zoneNames.get(r.zone) ?? `zone ${r.zone}`] = {
        occupancySeconds: r.occupancy_s,
        occupancyMax: r.occupancy_max,
        visits: r.visits,
        dwells: r.dwells,
        dwellSeconds: r.dwell_s,
      };
      zones.set(r.minute, m);
    }
    const rows = this.db
      .prepare(
        `SELECT minute, covered_s, people_s, people_max, visitors, activity_s FROM ${t.rows}
         WHERE camera = ? AND minute >= ? AND minute < ? ORDER BY minute`,
      )
      .raw()
      .iterate(camera, lo, hi) as IterableIterator<[number, number, number, number, number, number | null]>;
    for (const [minute, covered, people, max, visitors, activity] of rows) {
      yield {
        cameraId,
        minute: minute * MINUTE_MS,
        coveredSeconds: covered,
        peopleSeconds: people,
        peopleMax: max,
        visitors,
        activitySeconds: activity,
        lines: lines.get(minute) ?? {},
        zones: zones.get(minute) ?? {},
      };
    }
  }

  /** A camera's hour grids in [from, to) (ms), in order. */
  heatHours(cameraId: string, from: number, to: number): HourHeat[] {
    const camera = this.lookup('camera', cameraId);
    if (camera === undefined) return [];
    return (
      this.db
        .prepare(
          `SELECT hour, started_at, cols, rows, cell_size, width, height, cells FROM heat_hours
           WHERE camera = ? AND hour >= ? AND hour < ? ORDER BY hour`,
        )
        .all(camera, from, to) as Array<{
        hour: number;
        started_at: number;
        cols: number;
        rows: number;
        cell_size: number;
        width: number;
        height: number;
        cells: Buffer;
      }>
    ).map((r) => ({
      cameraId,
      hour: r.hour,
      startedAt: r.started_at,
      cols: r.cols,
      rows: r.rows,
      cellSize: r.cell_size,
      width: r.width,
      height: r.height,
      cells: decodeCells(r.cells, r.cols * r.rows),
    }));
  }

  background(cameraId: string): Background | null {
    const camera = this.lookup('camera', cameraId);
    if (camera === undefined) return null;
    const r = this.db
      .prepare('SELECT width, height, updated_at, frames, pixels FROM backgrounds WHERE camera = ?')
      .get(camera) as
      { width: number; height: number; updated_at: number; frames: number; pixels: Buffer } | undefined;
    return r
      ? {
          cameraId,
          width: r.width,
          height: r.height,
          updatedAt: r.updated_at,
          frames: r.frames,
          pixels: r.pixels,
        }
      : null;
  }

  /** Deletes what is older than `days` before `now` (whole local days are not needed: minutes will do). */
  prune(days: number, now = Date.now()): number {
    const cutoff = now - days * 86_400_000;
    // Cut on a quarter hour, so the quarter sums never hold minutes the minute rows no longer have.
    const minute = Math.floor(cutoff / MINUTE_MS / QUARTER_MINUTES) * QUARTER_MINUTES;
    let removed = 0;
    const cameras = [...this.nameOf('camera').keys()];
    this.db.transaction(() => {
      // Per camera: a range of the key, not a scan of every row.
      for (const camera of cameras) {
        for (const [grain, before] of [
          ['minute', minute],
          ['quarter', minute - (minute % QUARTER_MINUTES)],
        ] as const) {
          for (const table of Object.values(TABLES[grain])) {
            const changes = this.db
              .prepare(`DELETE FROM ${table} WHERE camera = ? AND minute < ?`)
              .run(camera, before).changes;
            if (table === 'minutes') removed += changes;
          }
        }
      }
      this.db.prepare('DELETE FROM heat_hours WHERE hour < ?').run(cutoff);
      this.db
        .prepare('DELETE FROM runs WHERE started_at < ? AND started_at <> ?')
        .run(cutoff, this.runStartedAt);
    })();
    return removed;
  }

  /** Bytes on disk: the database and its write-ahead log. */
  sizeBytes(): number {
    const size = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    return size(this.file) + size(`${this.file}-wal`);
  }

  /**
   * Lets go of a file removed or replaced while open: closes the connection without marking the run
   * (a removed file has nothing left to mark; a replaced one is another database).
   */
  abandon(): void {
    try {
      this.db.close();
    } catch {
      // closing a removed file: nothing to keep
    }
  }

  /** Marks this run as ended cleanly and closes the file. */
  close(now = Date.now()): void {
    try {
      this.db.prepare('UPDATE runs SET ended_at = ? WHERE started_at = ?').run(now, this.runStartedAt);
    } finally {
      this.db.close();
    }
  }
}

/** Runs the schema steps this database has not had yet. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `the history database is of schema ${version}, newer than this version of the nodes knows (${SCHEMA_VERSION}): update the package`,
    );
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
