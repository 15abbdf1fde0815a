import { HeatGrid, HeatGridShape } from './heat-grid';

export interface HeatAccumulatorOptions extends HeatGridShape {
  /** Gaussian radius at source resolution (the app this replaces used 30 px). */
  radius: number;
  /** Length of the live view, in minutes: an exact window, kept as one grid per minute. */
  liveWindowMinutes: number;
  /**
   * A longer pause between two frames is a camera gap: the time is counted as missing data and
   * no heat is added for it (nobody was seen, but nobody was looked for either).
   */
  maxFrameIntervalSeconds: number;
}

export const DEFAULT_HEAT_OPTIONS: Omit<HeatAccumulatorOptions, 'sourceWidth' | 'sourceHeight'> = {
  cellSize: 8,
  radius: 30,
  liveWindowMinutes: 10,
  maxFrameIntervalSeconds: 2,
};

const MINUTE_MS = 60_000;

/**
 * Accumulates where people stand, weighted by the time between frames from capture timestamps,
 * into the map since the last reset (the day) and an exact live window of the last N minutes.
 * The live view is exact rather than decaying so staff can read it as "the last 10 minutes":
 * it costs one small grid per minute (96x72 floats = 27 KB at the defaults).
 */
export class HeatAccumulator {
  readonly total: HeatGrid;
  readonly options: HeatAccumulatorOptions;
  /** Start of the accumulation (ms), set at the first frame after a reset. */
  startedAt: number | null = null;
  lastFrameAt: number | null = null;
  /** Seconds of camera gaps since the start. */
  gapSeconds = 0;
  private readonly minutes = new Map<number, HeatGrid>();
  /** Last frame of a restored save when no frame came since: the first frame counts the pause as a gap. */
  private gapFrom: number | null = null;

  constructor(options: HeatAccumulatorOptions) {
    this.options = options;
    this.total = new HeatGrid(options);
  }

  /**
   * Capture time of the last frame in this heat: this map's own, or, restored before any frame came,
   * the saved day's (what a snapshot taken now must carry on).
   */
  get lastFrameOrRestoredAt(): number | null {
    return this.lastFrameAt ?? this.gapFrom;
  }

  /** Adds one frame: the foot points of the people in it, captured at `at` (ms). */
  addFrame(footPoints: ReadonlyArray<readonly [number, number]>, at: number): void {
    if (this.startedAt === null) this.startedAt = at;
    const previous = this.lastFrameAt;
    if (previous !== null && at <= previous) return; // out of order or repeated: ignore
    this.lastFrameAt = at;
    if (previous === null) {
      // The first frame opens the clock (after a restore: the pause since the save was a gap).
      if (this.gapFrom !== null) this.gapSeconds += Math.max(0, (at - this.gapFrom) / 1000);
      this.gapFrom = null;
      return;
    }
    const seconds = (at - previous) / 1000;
    if (seconds > this.options.maxFrameIntervalSeconds) {
      this.gapSeconds += seconds;
      return;
    }
    const minute = Math.floor(at / MINUTE_MS);
    let bucket = this.minutes.get(minute);
    if (!bucket) {
      bucket = new HeatGrid(this.options);
      this.minutes.set(minute, bucket);
      this.dropOldMinutes(at);
    }
    for (const [x, y] of footPoints) {
      this.total.addPerson(x, y, seconds, this.options.radius);
      bucket.addPerson(x, y, seconds, this.options.radius);
    }
  }

  /** Heat of the last `liveWindowMinutes` minutes before `at` (whole minutes). */
  live(at: number): HeatGrid {
    this.dropOldMinutes(at);
    const grid = new HeatGrid(this.options);
    for (const bucket of this.minutes.values()) grid.addGrid(bucket);
    return grid;
  }

  /** Grids held for the live window: bounded by its length in minutes. */
  get liveBuckets(): number {
    return this.minutes.size;
  }

  /**
   * Adds a saved snapshot (of an earlier run: before a restart or redeploy) to this map, so the
   * day's heat survives. Applied only when its last frame came before this map's first: otherwise
   * its heat is already in here, and adding it again would count people twice. Both are capture
   * times, the frames' own clock: the wall-clock time of the save is no measure, since frames
   * captured before it can still be on their way through the detector when a redeploy starts this
   * map. The time between the two frames is a camera gap (nobody was watching). Returns whether it
   * was applied.
   */
  restore(saved: { grid: HeatGrid; startedAt: number; lastFrameAt: number; gapSeconds: number }): boolean {
    const t = this.total;
    if (
      saved.grid.cols !== t.cols ||
      saved.grid.rows !== t.rows ||
      saved.grid.cellSize !== t.cellSize ||
      saved.grid.sourceWidth !== t.sourceWidth ||
      saved.grid.sourceHeight !== t.sourceHeight
    ) {
      throw new Error(
        `the saved heatmap has another grid (${saved.grid.sourceWidth}x${saved.grid.sourceHeight} px in ` +
          `${saved.grid.cellSize} px cells) than this one (${t.sourceWidth}x${t.sourceHeight} px in ${t.cellSize} px cells)`,
      );
    }
    if (this.startedAt !== null && saved.lastFrameAt > this.startedAt) return false;
    t.addGrid(saved.grid);
    this.gapSeconds += saved.gapSeconds;
    if (this.startedAt === null) {
      // No frame yet: the first one counts the pause since the saved last frame as a gap.
      this.gapFrom = saved.lastFrameAt;
    } else {
      this.gapSeconds += Math.max(0, (this.startedAt - saved.lastFrameAt) / 1000);
    }
    this.startedAt = saved.startedAt;
    return true;
  }

  reset(): void {
    this.total.reset();
    this.minutes.clear();
    this.startedAt = null;
    this.lastFrameAt = null;
    this.gapSeconds = 0;
    this.gapFrom = null;
  }

  private dropOldMinutes(at: number): void {
    const oldest = Math.floor(at / MINUTE_MS) - this.options.liveWindowMinutes + 1;
    for (const minute of this.minutes.keys()) if (minute < oldest) this.minutes.delete(minute);
  }
}
