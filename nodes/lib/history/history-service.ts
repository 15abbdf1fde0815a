import { statSync } from 'node:fs';
import path from 'node:path';
import { isHeatSnapshot } from '../heatmap/heat-snapshot';
import type { QueryAnswer } from '../http/query-answer';
import { isBackgroundPicture, type BackgroundPicture } from '../image/camera-backgrounds';
import { openSqlite } from '../storage/sqlite-file';
import { dayStart, localIso } from '../time/local-time';
import { diskProblem, openProblem } from './disk-problem';
import { observationOf, type FrameFields } from './frame-observation';
import { historyCsv } from './history-csv';
import { HistoryDb, migrate } from './history-db';
import type { HistoryFormat } from './history-format';
import { renderHistoryHeat } from './history-heat';
import { parseHistoryQuery, queryHistory, QueryError } from './history-query';
import { historyRegistry, type HistoryRegistry, type OpenHistory } from './history-registry';
import { historyReport } from './history-report';
import { HistoryWriter } from './history-writer';
import { HourHeatSplitter } from './hour-heat';
import { MinuteRecorder } from './minute-recorder';
import type { MinuteRow } from './minute-row';

/** Where the service says what happened (the node's log, status and third output). */
export interface HistoryEvents {
  error(text: string): void;
  warn(text: string): void;
  log(text: string): void;
  /** The minute rows a write stored. */
  written(minutes: MinuteRow[]): void;
  status(status: HistoryStatus): void;
}

export interface HistoryStatus {
  state: 'ok' | 'idle' | 'error';
  text: string;
}

export interface HistoryServiceOptions {
  /** The database file (absolute). */
  file: string;
  retentionDays: number;
  maxFrameIntervalSeconds: number;
  /** How often finished minutes are looked for (each write is one transaction). */
  tickMs?: number;
  /** A database that could not be opened (or was lost) is tried again this often. */
  reopenMs?: number;
  pruneMs?: number;
  registry?: HistoryRegistry;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0)} MB`;

/**
 * One history database at work: frames become minute rows (MinuteRecorder), heat snapshots hour
 * grids (HourHeatSplitter), and both are written as minutes end (HistoryWriter; a failed write stays
 * in memory and goes again), old rows pruned hourly, and queries answered by format. It opens the
 * file, reopens it when it was removed or replaced under it (or could not be opened), and offers the
 * open database in the registry, so the write hooks set on the file (the chain's outbox) join each
 * write. No Node-RED here: the node glue hands it messages and shows what it reports.
 */
export class HistoryService {
  private db: HistoryDb | null = null;
  private offered: OpenHistory | null = null;
  private openedAt = 0;
  private openedIno: number | null = null;
  /** Why the database could not be opened; '' while it is open. */
  private openError = '';
  private lastError = '';
  private lastPruneAt = 0;
  private readonly recorder: MinuteRecorder;
  private readonly writer = new HistoryWriter(() => this.db);
  private readonly splitter = new HourHeatSplitter((cameraId, startedAt, hour, cells) =>
    this.heatStoredBefore(cameraId, startedAt, hour, cells),
  );
  private readonly seen = new Set<string>();
  private readonly lastMinuteOf = new Map<string, number>();
  /** The cameras' newest person-free pictures, written with the next minutes. */
  private backgrounds: BackgroundPicture[] = [];
  private writeScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly tickMs: number;
  private readonly reopenMs: number;
  private readonly pruneMs: number;
  private readonly registry: HistoryRegistry;

  constructor(
    private readonly options: HistoryServiceOptions,
    private readonly events: HistoryEvents,
  ) {
    this.tickMs = options.tickMs ?? 5000;
    this.reopenMs = options.reopenMs ?? 30_000;
    this.pruneMs = options.pruneMs ?? 3_600_000;
    this.registry = options.registry ?? historyRegistry;
    this.recorder = new MinuteRecorder({
      maxFrameIntervalSeconds: options.maxFrameIntervalSeconds,
      graceMs: this.tickMs,
    });
  }

  get file(): string {
    return this.options.file;
  }

  /** Opens the database and writes what is finished at each tick. */
  start(now = Date.now()): void {
    this.open(now);
    this.showStatus(0);
    this.timer = setInterval(() => this.writeFinished(), this.tickMs);
  }

  /** A frame with the people in it (msg.tracks) of a camera. */
  frame(cameraId: string, msg: FrameFields, now = Date.now()): void {
    const obs = observationOf(cameraId, msg, now);
    if (!this.seen.has(obs.cameraId)) {
      this.seen.add(obs.cameraId);
      if (this.db) this.recorder.restoreCursors(obs.cameraId, this.db.cursors(obs.cameraId));
      else this.recorder.awaitCursors(obs.cameraId);
    }
    this.recorder.add(obs);
    // A frame of a new minute ends the last one: written now, not at the next tick, so a kill takes
    // at most the current minute.
    const minute = Math.floor(obs.at / 60_000);
    if (minute > (this.lastMinuteOf.get(obs.cameraId) ?? minute)) this.scheduleWrite();
    this.lastMinuteOf.set(obs.cameraId, minute);
  }

  /** The heatmap's heat snapshots (msg.payload: one or a list; anything else in it is left out). */
  heatSnapshots(payload: unknown): void {
    for (const s of Array.isArray(payload) ? payload : [payload])
      if (isHeatSnapshot(s)) this.splitter.offer(s);
  }

  /**
   * A camera's newest person-free picture (msg.payload of heatmap/background): written with the next
   * minutes, only its own fields. false: the payload is no camera picture.
   */
  background(payload: unknown): boolean {
    if (!isBackgroundPicture(payload)) return false;
    const { cameraId, width, height, updatedAt, frames, pixels } = payload;
    this.backgrounds = this.backgrounds.filter((held) => held.cameraId !== cameraId);
    this.backgrounds.push({ cameraId, width, height, updatedAt, frames, pixels });
    return true;
  }

  /** Answers a query in `format`; a caller over HTTP reads a 4xx in its answer, a flow gets it as an error too. */
  async answer(
    query: Record<string, unknown>,
    format: HistoryFormat,
    fromHttp: boolean,
  ): Promise<QueryAnswer> {
    try {
      const db = this.db;
      if (!db) throw new QueryError(`the history database is not open: ${this.lastError}`, 503);
      const cameras = db.cameras().map((c) => c.cameraId);
      const unfinished = this.recorder.unfinishedMinutes();
      if (format === 'report') {
        const camera = typeof query.camera === 'string' ? query.camera : undefined;
        const date = typeof query.date === 'string' && query.date !== '' ? query.date : undefined;
        return {
          statusCode: 200,
          payload: historyReport(db, { camera, date }, Date.now(), unfinished),
          type: JSON_TYPE,
        };
      }
      if (format === 'png') {
        return { statusCode: 200, payload: await renderHistoryHeat(db, query, cameras), type: 'image/png' };
      }
      const result = queryHistory(db, parseHistoryQuery(query, cameras), Date.now(), unfinished);
      if (format === 'json') return { statusCode: 200, payload: result, type: JSON_TYPE };
      return {
        statusCode: 200,
        payload: historyCsv(result),
        type: 'text/csv; charset=utf-8',
        headers: {
          'content-disposition': `attachment; filename="history-${result.from}-${result.to}-${result.step}.csv"`,
        },
      };
    } catch (err) {
      const message = (err as Error).message;
      const statusCode = err instanceof QueryError ? err.statusCode : 500;
      const asJson = format === 'json' || format === 'report';
      return {
        statusCode,
        payload: asJson ? { error: message } : `${message}\n`,
        type: asJson ? JSON_TYPE : 'text/plain; charset=utf-8',
        error: statusCode >= 500 || !fromHttp ? `history query failed: ${message}` : undefined,
      };
    }
  }

  /** Writes the finished minutes (all of them with `all`), reopens a lost database, prunes hourly. */
  writeFinished(all = false, now = Date.now()): void {
    if (this.db) this.checkFileStillOpen();
    if (!this.db && now - this.openedAt >= this.reopenMs) this.open(now);
    const minutes = all ? this.recorder.takeAll() : this.recorder.takeFinished(now);
    const outcome = this.writer.write(
      { minutes, heat: this.splitter.take(), backgrounds: this.backgrounds },
      now,
    );
    this.backgrounds = [];
    if (outcome.dropped > 0) {
      this.events.error(
        `${outcome.dropped} minute rows dropped: the disk took none for too long (memory holds ${this.writer.maxWaitingMinutes})`,
      );
    }
    if (outcome.error) {
      this.fail(
        `${this.openError || `${diskProblem(outcome.error)}: ${outcome.error.message}`}; rows are kept in memory and written when it works again`,
      );
    } else if (outcome.written > 0) {
      if (this.lastError) this.events.log('history writes again: the rows kept in memory are written');
      this.lastError = '';
      this.events.written(minutes);
    }
    if (this.db && now - this.lastPruneAt >= this.pruneMs) this.prune(now);
    this.showStatus(this.writer.waiting);
  }

  /** Writes the current minutes as far as they go (the next run adds the rest) and closes the file. */
  close(now = Date.now()): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.writeFinished(true, now);
    this.withdraw();
    try {
      this.db?.close(now);
    } catch (err) {
      this.events.error(`could not close ${this.file}: ${(err as Error).message}`);
    }
    this.db = null;
  }

  private open(now: number): void {
    this.openedAt = now;
    const file = this.file;
    try {
      this.db = new HistoryDb(file, now, () => this.registry.hooksOf(file));
    } catch (err) {
      this.db = null;
      this.openError = `${openProblem(err as Error, file)}, cannot open ${file}: ${(err as Error).message}`;
      this.fail(this.openError);
      return;
    }
    this.openError = '';
    this.openedIno = statSync(file).ino;
    const previous = this.db.previousRun;
    if (previous && !previous.closedCleanly) {
      const last = previous.lastWrite === null ? 'anything' : localIso(previous.lastWrite);
      this.events.warn(
        `the last run stopped without closing history (killed or a power cut): what came after its last write (${last}) is lost and shows as missing minutes`,
      );
    }
    // Only cameras first seen while it was closed: the others' cursors in memory are newer.
    for (const id of this.seen)
      if (this.recorder.isAwaitingCursors(id)) this.recorder.restoreCursors(id, this.db.cursors(id));
    this.lastError = '';
    this.prune(now);
    this.offered = { file, connect: () => openSqlite(file, migrate) };
    this.registry.offer(this.offered);
  }

  private withdraw(): void {
    if (this.offered) this.registry.withdraw(this.offered);
    this.offered = null;
  }

  /** The database file as opened: a file removed or replaced under it would take the writes nowhere. */
  private checkFileStillOpen(): void {
    let ino: number | null = null;
    try {
      ino = statSync(this.file).ino;
    } catch {
      // gone
    }
    if (ino !== null && ino === this.openedIno) return;
    this.fail(
      `${this.file} was removed or replaced while open: reopening it; rows are kept in memory meanwhile`,
    );
    this.withdraw();
    this.db?.abandon();
    this.db = null;
    this.openedAt = 0; // reopen at once
  }

  private prune(now: number): void {
    if (!this.db) return;
    this.lastPruneAt = now;
    const days = this.options.retentionDays;
    try {
      const removed = this.db.prune(days, now);
      if (removed > 0) this.events.log(`removed ${removed} minute rows older than ${days} days`);
    } catch (err) {
      this.fail(`could not remove old rows: ${(err as Error).message}`);
    }
  }

  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      this.writeFinished();
    });
  }

  /**
   * What an accumulation's hours already written add up to before `hour` (`base`), and the heat of
   * `hour` from an earlier accumulation (`carry`: a reset within the hour): a restarted history
   * goes on splitting the day's heat where the last run stopped.
   */
  private heatStoredBefore(cameraId: string, startedAt: number, hour: number, cells: number) {
    let base: Float32Array | null = null;
    let carry: Float32Array | null = null;
    if (!this.db) return { base, carry };
    for (const h of this.db.heatHours(cameraId, dayStart(hour), hour + 1)) {
      if (h.cells.length !== cells) continue;
      if (h.hour < hour && h.startedAt === startedAt) {
        base ??= new Float32Array(cells);
        for (let i = 0; i < cells; i++) base[i] += h.cells[i];
      } else if (h.hour === hour && h.startedAt !== startedAt) {
        carry = h.cells;
      }
    }
    return { base, carry };
  }

  /** Says an error once (until it changes or clears). */
  private fail(text: string): void {
    if (text !== this.lastError) this.events.error(text);
    this.lastError = text;
  }

  private showStatus(waiting: number): void {
    if (this.lastError) {
      const what = this.lastError.split(':')[0];
      this.events.status({
        state: 'error',
        text: waiting > 0 ? `${what}: ${waiting} min kept in memory` : what,
      });
    } else if (this.db) {
      const size = megabytes(this.db.sizeBytes());
      const n = this.seen.size;
      this.events.status(
        n === 0
          ? { state: 'idle', text: `${size}, waiting for frames` }
          : { state: 'ok', text: `${size}, ${n} camera${n === 1 ? '' : 's'}` },
      );
    }
  }

  /** Where history keeps its files (data/ in the user directory): a flow writes exports beside it. */
  get directory(): string {
    return path.dirname(this.file);
  }
}
