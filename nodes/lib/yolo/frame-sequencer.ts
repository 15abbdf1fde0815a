/**
 * Lets one camera's frames out in capture order although only some go to the model: a frame passed
 * over would otherwise overtake the detected frame before it (still in the detector for ~100 ms), and
 * the tracker, line counters and heat downstream would see time run backwards. Frames behind a
 * detection wait for it; the wait is bounded in count and in time, so a stalled detector delays a
 * camera by at most `maxWaitMs` and never makes a queue grow.
 */
export interface SequencerOptions {
  /** A frame waiting for its detection longer than this goes on without it (predicted). */
  maxWaitMs: number;
  /** At most this many frames wait behind a detection; beyond it the oldest goes on without it. */
  maxQueued: number;
}

export const DEFAULT_SEQUENCER_OPTIONS: SequencerOptions = { maxWaitMs: 2000, maxQueued: 50 };

/** How a frame went: with detections, or passed over (and why). */
export type FrameOutcome<R> = { kind: 'detected'; result: R } | { kind: 'skipped'; reason: string };

interface Entry<F, R> {
  frame: F;
  addedAt: number;
  outcome: FrameOutcome<R> | null;
}

/** A handle on a frame sent to the model: settle it with the detector's answer. */
export interface PendingFrame<R> {
  settle(outcome: FrameOutcome<R>): void;
  /** Whether the frame already went on without an answer (it waited too long, or the node closed). */
  readonly released: boolean;
}

export class FrameSequencer<F, R> {
  private readonly queue: Entry<F, R>[] = [];

  constructor(
    /** Receives every frame once, in the order added. */
    private readonly release: (frame: F, outcome: FrameOutcome<R>) => void,
    private readonly options: SequencerOptions = DEFAULT_SEQUENCER_OPTIONS,
  ) {}

  /** Frames waiting (for a detection, or behind one). */
  get waiting(): number {
    return this.queue.length;
  }

  /** A frame that goes to the model: it is let out once `settle` is called (or it waited too long). */
  pending(frame: F, now: number): PendingFrame<R> {
    const entry: Entry<F, R> = { frame, addedAt: now, outcome: null };
    this.queue.push(entry);
    this.bound(now);
    return {
      settle: (outcome) => {
        // Already let out without it (waited too long): a late answer is dropped here.
        if (entry.outcome) return;
        entry.outcome = outcome;
        this.drain();
      },
      get released() {
        return entry.outcome !== null;
      },
    };
  }

  /** A frame the model will not see: let out as soon as every frame before it is. */
  skipped(frame: F, reason: string, now: number): void {
    this.queue.push({ frame, addedAt: now, outcome: { kind: 'skipped', reason } });
    this.bound(now);
    this.drain();
  }

  /** Lets out, without detections, frames that waited too long; call now and then (a timer). */
  expire(now: number): void {
    this.bound(now);
  }

  /** Lets every frame out now, those without an answer as skipped (closing). */
  flush(reason: string): void {
    for (const entry of this.queue) entry.outcome ??= { kind: 'skipped', reason };
    this.drain();
  }

  private bound(now: number): void {
    const { maxWaitMs, maxQueued } = this.options;
    while (this.queue.length > maxQueued) {
      this.queue[0].outcome ??= { kind: 'skipped', reason: 'timeout' };
      this.releaseHead();
    }
    // Oldest first: the first frame young enough ends the search.
    for (const entry of this.queue) {
      if (now - entry.addedAt <= maxWaitMs) break;
      entry.outcome ??= { kind: 'skipped', reason: 'timeout' };
    }
    this.drain();
  }

  private releaseHead(): void {
    const head = this.queue.shift()!;
    this.release(head.frame, head.outcome!);
  }

  private drain(): void {
    while (this.queue.length > 0 && this.queue[0].outcome) this.releaseHead();
  }
}
