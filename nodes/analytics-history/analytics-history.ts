import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { isHeatSnapshot } from '../lib/heatmap/heat-snapshot';
import type { Background } from '../lib/history/history-db';
import { isBackgroundPicture } from '../lib/image/camera-backgrounds';
import { HistoryDb } from '../lib/history/history-db';
import { historyCsv } from '../lib/history/history-csv';
import { parseHistoryQuery, queryHistory, QueryError } from '../lib/history/history-query';
import { HistoryWriter } from '../lib/history/history-writer';
import { HourHeatSplitter } from '../lib/history/hour-heat';
import { FrameObservation, MinuteRecorder } from '../lib/history/minute-recorder';
import { renderHistoryHeat } from '../lib/history/history-heat';
import { historyReport } from '../lib/history/history-report';
import { dayStart, localIso } from '../lib/time/local-time';
import { cameraIdOf } from '../shared/camera-id';
import { claimFiles } from '../shared/file-claim';
import { numberSetting } from '../shared/config';
import { queryReply } from '../shared/query-reply';
import { reportConfigError, Status } from '../shared/status';

/** The editor's `defaults`; every key here is a field of analytics-history.html. */
interface HistoryDef extends NodeDef {
  file: string;
  retentionDays: string | number;
  maxFrameInterval: string | number;
}

/** How often finished minutes are looked for (each write is one transaction). */
const TICK_MS = 5000;
/** A failed write (disk full, read-only) is tried again at each tick; the database is reopened this often. */
const REOPEN_MS = 30_000;
const PRUNE_MS = 3_600_000;

type FrameMessage = NodeMessage & {
  tracks?: unknown[];
  frame?: { capturedAt?: number; width?: number; height?: number };
  heatmap?: { startedAt?: number; statistics?: { uniquePeople?: number; totalActivitySeconds?: number } };
  footfall?: { day?: string; lines?: Record<string, { in: number; out: number }> };
  zones?: { day?: string; zones?: Record<string, Record<string, unknown>> };
};

type HttpMessage = NodeMessage & {
  req: { path?: string; query?: Record<string, unknown> };
  res: unknown;
  statusCode?: number;
  headers?: Record<string, string>;
};

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0)} MB`;

/** The observation of one frame message (the heatmap's, line-counter's and zone-monitor's fields). */
function observationOf(msg: FrameMessage): FrameObservation {
  const obs: FrameObservation = {
    cameraId: cameraIdOf(msg),
    at: typeof msg.frame?.capturedAt === 'number' ? msg.frame.capturedAt : Date.now(),
    peopleInView: msg.tracks!.length,
  };
  const h = msg.heatmap;
  if (h && typeof h.startedAt === 'number' && h.statistics) {
    obs.heat = {
      since: h.startedAt,
      visitors: Number(h.statistics.uniquePeople ?? 0),
      activitySeconds: Number(h.statistics.totalActivitySeconds ?? 0),
    };
  }
  if (msg.footfall && typeof msg.footfall.day === 'string' && msg.footfall.lines) {
    obs.footfall = { day: msg.footfall.day, lines: msg.footfall.lines };
  }
  if (msg.zones && typeof msg.zones.day === 'string' && msg.zones.zones) {
    const zones: NonNullable<FrameObservation['zones']>['zones'] = {};
    for (const [name, z] of Object.entries(msg.zones.zones)) {
      zones[name] = {
        occupancy: Number(z.occupancy ?? 0),
        visits: Number(z.visits ?? 0),
        dwells: Number(z.dwells ?? 0),
        dwellSeconds: Number(z.dwellSeconds ?? 0),
        personSeconds: Number(z.personSeconds ?? 0),
      };
    }
    obs.zones = { day: msg.zones.day, zones };
  }
  return obs;
}

export = function (RED: NodeAPI): void {
  function AnalyticsHistoryNode(this: Node, config: HistoryDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const userDir = (RED.settings as { userDir?: string }).userDir ?? process.cwd();
    const file = path.resolve(userDir, config.file?.trim() || path.join('data', 'history.db'));
    const retentionDays = numberSetting(config.retentionDays, 400);
    const maxFrameIntervalSeconds = numberSetting(config.maxFrameInterval, 2);
    if (!(retentionDays >= 1) || !(maxFrameIntervalSeconds > 0)) {
      reportConfigError(node, 'check the settings: keep at least 1 day; the frame gap must be above 0 s');
      return;
    }
    // One history node per database: a second one (an imported copy of the flow) would write over
    // this one's minutes and read its open run as a crash.
    const claim = claimFiles(node, 'analytics-history', 'history database', file);
    if ('refused' in claim) {
      refuseQueries(node, claim.answer);
      return;
    }

    let db: HistoryDb | null = null;
    let openedAt = 0;
    let lastError = '';
    /** Why the database could not be opened (retried every REOPEN_MS); '' while it is open. */
    let openError = '';
    let lastPruneAt = 0;
    const recorder = new MinuteRecorder({ maxFrameIntervalSeconds, graceMs: TICK_MS });
    const writer = new HistoryWriter(() => db);
    const splitter = new HourHeatSplitter((cameraId, startedAt, hour, cells) => {
      if (!db) return { base: null, carry: null };
      const hours = db.heatHours(cameraId, dayStart(hour), hour + 1);
      let base: Float32Array | null = null;
      let carry: Float32Array | null = null;
      for (const h of hours) {
        if (h.cells.length !== cells) continue;
        if (h.hour < hour && h.startedAt === startedAt) {
          base ??= new Float32Array(cells);
          for (let i = 0; i < cells; i++) base[i] += h.cells[i];
        } else if (h.hour === hour && h.startedAt !== startedAt) {
          carry = h.cells;
        }
      }
      return { base, carry };
    });
    const seen = new Set<string>();
    /** The cameras' newest person-free pictures, written with the next minutes. */
    let backgrounds: Background[] = [];

    function open(now: number): void {
      openedAt = now;
      try {
        db = new HistoryDb(file, now);
      } catch (err) {
        db = null;
        openError = `${openProblem(err as Error, file)}, cannot open ${file}: ${(err as Error).message}`;
        fail(openError);
        return;
      }
      openError = '';
      openedIno = statSync(file).ino;
      const previous = db.previousRun;
      if (previous && !previous.closedCleanly) {
        const last = previous.lastWrite === null ? 'anything' : localIso(previous.lastWrite);
        node.warn(
          `the last run stopped without closing history (killed or a power cut): what came after its last write (${last}) is lost and shows as missing minutes`,
        );
      }
      // Only cameras first seen while it was closed: the others' cursors in memory are newer.
      for (const id of seen) if (recorder.isAwaitingCursors(id)) recorder.restoreCursors(id, db.cursors(id));
      lastError = '';
      prune(now);
    }

    function prune(now: number): void {
      if (!db) return;
      lastPruneAt = now;
      try {
        const removed = db.prune(retentionDays, now);
        if (removed > 0) node.log(`removed ${removed} minute rows older than ${retentionDays} days`);
      } catch (err) {
        fail(`could not remove old rows: ${(err as Error).message}`);
      }
    }

    function fail(text: string, msg?: NodeMessage): void {
      if (text !== lastError) node.error(text, msg ?? {});
      lastError = text;
    }

    function showStatus(waiting: number): void {
      if (lastError) {
        node.status(
          Status.error(
            waiting > 0
              ? `${lastError.split(':')[0]}: ${waiting} min kept in memory`
              : lastError.split(':')[0],
          ),
        );
      } else if (db) {
        const size = megabytes(db.sizeBytes());
        node.status(
          seen.size === 0
            ? Status.idle(`${size}, waiting for frames`)
            : Status.ok(`${size}, ${seen.size} camera${seen.size === 1 ? '' : 's'}`),
        );
      }
    }

    /** The database file as opened: a file removed or replaced under it would take the writes nowhere. */
    let openedIno: number | null = null;

    function fileStillOpen(): boolean {
      if (!db) return false;
      let ino: number | null = null;
      try {
        ino = statSync(file).ino;
      } catch {
        // gone
      }
      if (ino !== null && ino === openedIno) return true;
      fail(`${file} was removed or replaced while open: reopening it; rows are kept in memory meanwhile`);
      try {
        db.db.close();
      } catch {
        // closing a removed file: nothing to keep
      }
      db = null;
      openedAt = 0; // reopen at once
      return false;
    }

    function writeFinished(all = false): void {
      const now = Date.now();
      if (db) fileStillOpen();
      if (!db && now - openedAt >= REOPEN_MS) open(now);
      const minutes = all ? recorder.takeAll() : recorder.takeFinished(now);
      const outcome = writer.write({ minutes, heat: splitter.take(), backgrounds }, now);
      backgrounds = [];
      if (outcome.dropped > 0) {
        node.error(
          `${outcome.dropped} minute rows dropped: the disk took none for too long (memory holds ${writer.maxWaitingMinutes})`,
        );
      }
      if (outcome.error) {
        fail(
          `${openError || `${diskProblem(outcome.error)}: ${outcome.error.message}`}; rows are kept in memory and written when it works again`,
        );
      } else if (outcome.written > 0) {
        if (lastError) node.log('history writes again: the rows kept in memory are written');
        lastError = '';
        node.send([null, null, { topic: 'history/minutes', payload: minutes }]);
      }
      if (db && now - lastPruneAt >= PRUNE_MS) prune(now);
      showStatus(writer.waiting);
    }

    const lastMinuteOf = new Map<string, number>();
    let writeScheduled = false;
    function scheduleWrite(): void {
      if (writeScheduled) return;
      writeScheduled = true;
      setImmediate(() => {
        writeScheduled = false;
        writeFinished();
      });
    }

    open(Date.now());
    showStatus(0);
    const timer = setInterval(() => writeFinished(), TICK_MS);

    /**
     * Answers a query: from HTTP (msg.req; the answer on the first output, for http response) or from
     * a flow (msg.topic "history" or "history/report", the query in msg.payload; the second output).
     */
    async function answer(
      msg: NodeMessage,
      query: Record<string, unknown>,
      format: 'json' | 'csv' | 'png' | 'report',
    ): Promise<void> {
      const { fromHttp, reply } = queryReply(node, msg, 3);
      // Where history keeps its files (data/ in the user directory): a flow writing exports beside it.
      if (!fromHttp) (msg as NodeMessage & { historyDir?: string }).historyDir = path.dirname(file);
      try {
        if (!db) throw new QueryError(`the history database is not open: ${lastError}`, 503);
        const cameras = db.cameras().map((c) => c.cameraId);
        if (format === 'report') {
          const camera = typeof query.camera === 'string' ? query.camera : undefined;
          const date = typeof query.date === 'string' && query.date !== '' ? query.date : undefined;
          reply(
            200,
            historyReport(db, { camera, date }, Date.now(), recorder.unfinishedMinutes()),
            'application/json; charset=utf-8',
          );
          return;
        }
        if (format === 'png') {
          reply(200, await renderHistoryHeat(db, query, cameras), 'image/png');
          return;
        }
        const result = queryHistory(
          db,
          parseHistoryQuery(query, cameras),
          Date.now(),
          recorder.unfinishedMinutes(),
        );
        if (format === 'csv') {
          reply(200, historyCsv(result), 'text/csv; charset=utf-8', {
            'content-disposition': `attachment; filename="history-${result.from}-${result.to}-${result.step}.csv"`,
          });
        } else reply(200, result, 'application/json; charset=utf-8');
      } catch (err) {
        const e = err as Error;
        const code = err instanceof QueryError ? err.statusCode : 500;
        // An HTTP caller reads a 4xx in its answer; a flow's bad query is the flow's error to see.
        if (code >= 500 || !fromHttp) node.error(`history query failed: ${e.message}`, msg);
        reply(
          code,
          format === 'json' || format === 'report' ? { error: e.message } : `${e.message}\n`,
          format === 'json' || format === 'report'
            ? 'application/json; charset=utf-8'
            : 'text/plain; charset=utf-8',
        );
      }
    }

    node.on('input', (raw, _send, done) => {
      const msg = raw as FrameMessage;
      const http = raw as Partial<HttpMessage>;
      if (msg.topic === 'heatmap/snapshot') {
        const items = Array.isArray(msg.payload) ? msg.payload : [msg.payload];
        for (const s of items) if (isHeatSnapshot(s)) splitter.offer(s);
        done();
        return;
      }
      if (msg.topic === 'heatmap/background') {
        if (!isBackgroundPicture(msg.payload)) {
          done(new Error('a heatmap/background message carries a camera picture from the heatmap node'));
          return;
        }
        const b = msg.payload;
        backgrounds = backgrounds.filter((held) => held.cameraId !== b.cameraId);
        backgrounds.push({
          cameraId: b.cameraId,
          width: b.width,
          height: b.height,
          updatedAt: b.updatedAt,
          frames: b.frames,
          pixels: b.pixels,
        });
        done();
        return;
      }
      if (Array.isArray(msg.tracks)) {
        const obs = observationOf(msg);
        if (!seen.has(obs.cameraId)) {
          seen.add(obs.cameraId);
          if (db) recorder.restoreCursors(obs.cameraId, db.cursors(obs.cameraId));
          else recorder.awaitCursors(obs.cameraId);
        }
        recorder.add(obs);
        // A frame of a new minute ends the last one: write it now, not at the next tick, so a kill
        // takes at most the current minute.
        const minute = Math.floor(obs.at / 60_000);
        if (minute > (lastMinuteOf.get(obs.cameraId) ?? minute)) scheduleWrite();
        lastMinuteOf.set(obs.cameraId, minute);
        done();
        return;
      }
      if (msg.topic === 'history' || msg.topic === 'history/report') {
        const q = (typeof msg.payload === 'object' && msg.payload !== null ? msg.payload : {}) as Record<
          string,
          unknown
        >;
        const format =
          msg.topic === 'history/report'
            ? 'report'
            : q.format === 'csv'
              ? 'csv'
              : q.format === 'png'
                ? 'png'
                : 'json';
        answer(raw, q, format).then(() => done(), done);
        return;
      }
      // Messages are told apart by topic first: a save asked over HTTP sends its snapshots (and a
      // frame may come) with the request riding along, answered elsewhere. Only this node's paths here.
      const requestPath = http.req && http.res ? String(http.req.path ?? '') : '';
      const format = /\/history\.csv$/.test(requestPath)
        ? 'csv'
        : /\/heatmap\.png$/.test(requestPath)
          ? 'png'
          : /\/history$/.test(requestPath)
            ? 'json'
            : null;
      if (format) {
        answer(raw, http.req!.query ?? {}, format).then(() => done(), done);
        return;
      }
      if (requestPath) {
        // Answered, so the caller does not wait for ever, and reported: the flow wires a wrong path here.
        const e = new Error(
          `analytics-history answers paths ending in /history, /history.csv or /heatmap.png, not ${requestPath}`,
        );
        const out = raw as HttpMessage;
        out.statusCode = 404;
        out.headers = { 'content-type': 'text/plain; charset=utf-8' };
        out.payload = `${e.message}\n`;
        node.send([out, null, null]);
        done(e);
        return;
      }
      if (
        typeof msg.topic === 'string' &&
        /^(reset|save|snapshot|viewers|restore|areas|heatmap\/)/.test(msg.topic)
      ) {
        done(); // other nodes' commands on a shared link
        return;
      }
      done(
        new Error(
          'expected a frame with msg.tracks (from the heatmap, line-counter or zone-monitor), heat snapshots (msg.topic "heatmap/snapshot"), an HTTP request (msg.req) or a query (msg.topic "history" or "history/report")',
        ),
      );
    });

    node.on('close', (done: () => void) => {
      clearInterval(timer);
      // The current minutes are written as far as they go; the next run adds the rest.
      writeFinished(true);
      try {
        db?.close();
      } catch (err) {
        node.error(`could not close ${file}: ${(err as Error).message}`);
      }
      db = null;
      claim.release();
      node.status(Status.clear());
      done();
    });
  }

  RED.nodes.registerType('analytics-history', AnalyticsHistoryNode);
};

/**
 * A history node refused its database (another node holds it): HTTP requests get 503 with the
 * reason rather than no answer; frames and queries are dropped (the status and the log say why).
 */
function refuseQueries(node: Node, reason: string): void {
  node.on('input', (msg, _send, done) => {
    const http = msg as Partial<HttpMessage>;
    // Only this node's paths: a save's heat snapshots carry their request along, answered elsewhere.
    if (http.res && /\/(history|history\.csv|heatmap\.png)$/.test(String(http.req?.path ?? ''))) {
      queryReply(node, msg, 3).reply(503, `${reason}\n`, 'text/plain; charset=utf-8');
    }
    done();
  });
}

/** The disk problem behind a write error, in words staff and integrators search for. */
/** SQLite says only "unable to open": the folder tells whether the disk is read-only. */
function openProblem(err: Error, file: string): string {
  try {
    accessSync(path.dirname(file), fsConstants.W_OK);
  } catch (e) {
    if ((e as { code?: string }).code === 'EROFS') return 'disk read-only';
  }
  return diskProblem(err);
}

function diskProblem(err: Error): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'disk full';
  if (code.startsWith('SQLITE_READONLY')) return 'disk read-only';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'disk error';
  return 'history write failed';
}
