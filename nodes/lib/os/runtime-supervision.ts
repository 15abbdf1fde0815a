import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BackoffPolicy, reconnectDelayMs } from '../video/backoff';

/**
 * The decisions of `npm start`'s supervisor (scripts/start-node-red.mjs), which restarts Node-RED
 * when it dies: a native abort cannot be caught inside the process, so something outside must bring
 * the store box back.
 */

/**
 * Restart delays while Node-RED keeps dying: 1 s, 2 s, 4 s ... 30 s. The first is short because a
 * crash loses the heat and counts since their last write; the cap keeps a box that cannot run (disk
 * full, a broken model) from spinning, and still tries twice a minute.
 */
export const RESTART_BACKOFF: BackoffPolicy = { initialMs: 1000, factor: 2, maxMs: 30000 };

/** A run at least this long was stable: the next crash is restarted after the first delay again. */
export const STABLE_RUN_MS = 60000;

/**
 * The first run ending with an exit code (not a signal) this soon never got going: a setting to fix
 * (HOST without ADMIN_PASSWORD, the port taken), which a restart would only repeat. Node-RED refuses
 * such settings within a second or two; loading the nodes and flows takes a few seconds more.
 */
export const SETUP_FAILURE_MS = 10000;

/** How a run of Node-RED ended: the child's exit code or signal, and how long it ran. */
export interface RunEnd {
  code: number | null;
  signal: string | null;
  ranMs: number;
}

export type NextStep =
  { restart: true; delayMs: number; crashesInARow: number } | { restart: false; exitCode: number };

/** Whether and when to start Node-RED again after a run ended that nobody asked to stop. */
export class RestartPolicy {
  private crashesInARow = 0;
  private runs = 0;

  constructor(
    private readonly backoff: BackoffPolicy = RESTART_BACKOFF,
    private readonly stableMs = STABLE_RUN_MS,
    private readonly setupMs = SETUP_FAILURE_MS,
  ) {}

  afterRun(end: RunEnd): NextStep {
    this.runs++;
    if (this.runs === 1 && end.signal === null && end.ranMs < this.setupMs) {
      return { restart: false, exitCode: end.code ?? 1 };
    }
    if (end.ranMs >= this.stableMs) this.crashesInARow = 0;
    const delayMs = reconnectDelayMs(this.crashesInARow, this.backoff);
    this.crashesInARow++;
    return { restart: true, delayMs, crashesInARow: this.crashesInARow };
  }
}

/** What a signal that ended Node-RED usually means, for the log. */
const SIGNAL_MEANING: Record<string, string> = {
  SIGABRT: 'native abort: a C++ exception nobody caught, or a fatal V8 error such as an exhausted heap',
  SIGKILL: 'killed outright: by the out-of-memory killer, or kill -9',
  SIGSEGV: 'crash in native code',
  SIGBUS: 'crash in native code: bad memory access',
  SIGILL: 'crash in native code: illegal instruction',
  SIGFPE: 'crash in native code: arithmetic error',
  SIGTRAP: 'crash in native code: a V8 check failed',
  SIGTERM: 'told to stop by another process',
  SIGINT: 'told to stop by another process',
  SIGHUP: 'told to stop by another process',
};

/** "SIGABRT (native abort: ...)", "exit code 1 (...)": why a run ended, in words. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return SIGNAL_MEANING[signal] ? `${signal} (${SIGNAL_MEANING[signal]})` : signal;
  if (code === 0) return 'exit code 0 (it stopped by itself)';
  if (code === null) return 'no exit code (it could not be started)';
  // Node-RED logs an uncaught exception on stdout, then exits with 1.
  return code === 1 ? 'exit code 1 (an error: Node-RED logged it above)' : `exit code ${code}`;
}

/** "2 h 5 min", "3 min 12 s", "4.2 s". */
export function formatRunTime(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${Math.floor(s % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The log lines for a run that ended on its own: why, its last words on stderr, what was left
 * running of it (and killed), what comes next.
 */
export function crashReport(
  end: RunEnd,
  stderrTail: readonly string[],
  killed: readonly Pick<ProcessEntry, 'command' | 'pid'>[],
  next: NextStep,
): string[] {
  const lines = [`Node-RED stopped after ${formatRunTime(end.ranMs)}: ${describeExit(end.code, end.signal)}`];
  if (stderrTail.length > 0) {
    lines.push('its last lines on stderr:', ...stderrTail.map((line) => `  | ${line}`));
  }
  if (killed.length > 0) lines.push(leftoversKilled(killed));
  if (!next.restart) {
    lines.push(
      `it did not get going (it ended within ${SETUP_FAILURE_MS / 1000} s of the first start): not restarted, see above why`,
    );
  } else if (next.crashesInARow === 1) {
    lines.push(`restarting it in ${next.delayMs / 1000} s`);
  } else {
    lines.push(
      `restarting it in ${next.delayMs / 1000} s (stop ${next.crashesInARow} in a row within a minute of its start: the wait doubles, up to ${RESTART_BACKOFF.maxMs / 1000} s)`,
    );
  }
  return lines;
}

/** "killed 2 process(es) Node-RED left running: ffmpeg 1234, ffmpeg 1240". */
export function leftoversKilled(killed: readonly Pick<ProcessEntry, 'command' | 'pid'>[]): string {
  return `killed ${killed.length} process(es) Node-RED left running: ${killed.map((p) => `${p.command} ${p.pid}`).join(', ')}`;
}

/**
 * The last lines of a stream that arrives in chunks cut anywhere, bounded in lines and line length
 * (a process may write one endless line), so a supervisor can say what a dead process said last.
 */
export class OutputTail {
  private readonly kept: string[] = [];
  private partial = '';

  /** 20 lines: a fatal V8 error's reason comes before a native and a JavaScript stack trace. */
  constructor(
    private readonly maxLines = 20,
    private readonly maxLineChars = 400,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop()!.slice(-this.maxLineChars);
    for (const line of parts) this.keep(line);
  }

  /** The kept lines, oldest first, with an unfinished last line too. */
  lines(): string[] {
    const partial = this.partial.replace(/\r$/, '');
    return (partial.trim() ? [...this.kept, partial] : this.kept).slice(-this.maxLines);
  }

  private keep(line: string): void {
    const text = line.replace(/\r$/, '');
    if (!text.trim()) return;
    this.kept.push(text.length > this.maxLineChars ? `${text.slice(0, this.maxLineChars)} ...` : text);
    if (this.kept.length > this.maxLines) this.kept.shift();
  }
}

/** One process as /proc/<pid>/stat tells it. */
export interface ProcessEntry {
  pid: number;
  command: string;
  /** R, S, D, Z (a zombie: gone, waiting for its parent) ... */
  state: string;
  processGroup: number;
}

/** Parses /proc/<pid>/stat; the command is in parentheses and may itself hold spaces and ")". */
export function parseProcStat(text: string): ProcessEntry | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // After the command: state, ppid, pgrp, ...
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const processGroup = Number(rest[2]);
  if (!Number.isInteger(pid) || !rest[0] || !Number.isInteger(processGroup)) return null;
  return { pid, command: text.slice(open + 1, close), state: rest[0], processGroup };
}

/**
 * The running processes of a process group (zombies left out: they are gone already), read from
 * /proc; null where there is no /proc to read.
 */
export function processesInGroup(group: number, proc = '/proc'): ProcessEntry[] | null {
  let names: string[];
  try {
    names = readdirSync(proc);
  } catch {
    return null;
  }
  const found: ProcessEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let entry: ProcessEntry | null;
    try {
      entry = parseProcStat(readFileSync(path.join(proc, name, 'stat'), 'utf8'));
    } catch {
      continue; // ended while we looked
    }
    if (entry && entry.processGroup === group && entry.state !== 'Z') found.push(entry);
  }
  return found;
}
