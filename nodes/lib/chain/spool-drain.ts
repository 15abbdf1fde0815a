import { redact } from '../text/redact';
import type { ApplyOutcome } from './central-db';
import type { SpooledMessage } from './spool';

/** The part of the spool the drain reads and empties (Spool). */
export interface DrainSource {
  next(limit: number): SpooledMessage[];
  removeThrough(id: number): void;
}

/** Where the drain writes: the central database (central-pool.ts's centralSink). */
export interface CentralSink {
  /**
   * Writes one batch (maybe empty) over one connection, in one transaction; with `createSchema` it
   * makes the tables first. Throws when the database cannot be reached or the write fails.
   */
  write(batch: readonly SpooledMessage[], createSchema: boolean): Promise<ApplyOutcome>;
}

/** Where the drain says what happened (the node's log). */
export interface DrainEvents {
  error(text: string, topic?: string): void;
  log(text: string): void;
  /** After every pass: the counts, the problem or the spool's size may have changed. */
  passed(): void;
}

export interface DrainTiming {
  /** Messages per transaction. */
  batch: number;
  /** The wait after a pass that left nothing behind. */
  idleMs: number;
  /** The wait after a failure, doubled at each failure in a row up to retryMaxMs. */
  retryMinMs: number;
  retryMaxMs: number;
}

export const DRAIN_TIMING: DrainTiming = { batch: 500, idleMs: 500, retryMinMs: 2000, retryMaxMs: 30_000 };

/**
 * Moves head office's spool into the central database, oldest first, a batch per transaction. A batch
 * leaves the spool only once the database committed it; a failure keeps it there and retries with a
 * growing wait; a full batch is followed at once by the next. Messages the database refuses (not of
 * the topic tree, a bad payload) are not retried: reported once per reason.
 */
export class SpoolDrain {
  /** Rows written and messages refused since the start. */
  written = 0;
  refused = 0;
  /** The database's (or the spool's) problem, '' while writes succeed. */
  problem = '';
  private schemaReady = false;
  private retryMs: number;
  private readonly timing: DrainTiming;
  /** Passwords that must not reach the log or the status. */
  private readonly secrets: readonly string[];
  private readonly reasons = new Set<string>();
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** The pass under way: stop waits for it, so a committed batch also leaves the spool. */
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: DrainSource,
    private readonly sink: CentralSink,
    private readonly events: DrainEvents,
    options: { secrets?: readonly string[]; timing?: Partial<DrainTiming> } = {},
  ) {
    this.timing = { ...DRAIN_TIMING, ...options.timing };
    this.retryMs = this.timing.retryMinMs;
    this.secrets = options.secrets ?? [];
  }

  /** Passes one after another until stop. */
  start(): void {
    this.running = this.loop();
  }

  /** No pass after this one; resolves once the pass under way (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * A problem outside the database (the spool could not take a message): shown like the database's
   * until the next pass succeeds, unless the database already has one.
   */
  noteProblem(text: string): void {
    this.problem = this.problem || text;
  }

  /** One batch into the database; returns how long to wait before the next. */
  async pass(): Promise<number> {
    let wait = this.timing.idleMs;
    try {
      const batch = this.source.next(this.timing.batch);
      if (batch.length > 0 || !this.schemaReady) {
        const outcome = await this.sink.write(batch, !this.schemaReady);
        this.schemaReady = true;
        if (batch.length > 0) {
          this.source.removeThrough(batch[batch.length - 1].id);
          this.count(outcome);
          if (batch.length === this.timing.batch) wait = 0;
        }
      }
      if (this.problem) this.events.log('PostgreSQL takes writes again: the buffered messages are written');
      this.problem = '';
      this.retryMs = this.timing.retryMinMs;
    } catch (err) {
      const text = redact((err as Error).message, this.secrets) || String((err as { code?: string }).code);
      if (text !== this.problem)
        this.events.error(`PostgreSQL write failed, messages stay buffered: ${text}`);
      this.problem = text;
      wait = this.retryMs;
      this.retryMs = Math.min(this.timing.retryMaxMs, this.retryMs * 2);
    }
    return wait;
  }

  private count(outcome: ApplyOutcome): void {
    this.written += outcome.written;
    this.refused += outcome.refused.length;
    for (const r of outcome.refused) {
      if (this.reasons.has(r.reason)) continue;
      this.reasons.add(r.reason);
      this.events.error(`a message on ${r.topic} was refused: ${r.reason}`, r.topic);
    }
  }

  private async loop(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    const wait = await this.pass();
    this.events.passed();
    if (!this.stopped)
      this.timer = setTimeout(() => {
        this.running = this.loop();
      }, wait);
  }
}
