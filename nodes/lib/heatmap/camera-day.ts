import { dayFolder } from '../time/local-day';
import type { HeatSnapshot } from './heat-snapshot';
import { HeatAccumulator, HeatAccumulatorOptions } from './heat-accumulator';
import { HeatGrid } from './heat-grid';
import { StoreStatistics, storeStatistics } from './statistics';
import { VisitorCount } from './visitor-count';

/**
 * One camera's day as the heatmap node keeps it: the heat, the visitors, the people in view, and
 * what the last snapshot already carried. Snapshots go to disk (heatmap-store) and come back from
 * it after a restart.
 */
export class CameraDay {
  readonly map: HeatAccumulator;
  readonly visitors = new VisitorCount();
  peopleInView = 0;
  /** The map's lastFrameAt when the last snapshot was taken: an unchanged map is not sent again. */
  private snapshotFrameAt: number | null = null;

  constructor(
    readonly cameraId: string,
    options: HeatAccumulatorOptions,
  ) {
    this.map = new HeatAccumulator(options);
  }

  get changedSinceSnapshot(): boolean {
    return this.map.lastFrameAt !== this.snapshotFrameAt;
  }

  /** Whether a frame at `at` belongs to a later calendar day (local time) than the last one. */
  isNewDay(at: number): boolean {
    return this.map.lastFrameAt !== null && dayFolder(at) !== dayFolder(this.map.lastFrameAt);
  }

  /** One frame: where the people stand, and the tracker's running count of unique IDs if known. */
  addFrame(footPoints: ReadonlyArray<readonly [number, number]>, at: number, trackerUnique?: number): void {
    this.map.addFrame(footPoints, at);
    this.peopleInView = footPoints.length;
    if (typeof trackerUnique === 'number') this.visitors.observe(trackerUnique);
  }

  statistics(at: number): StoreStatistics {
    return storeStatistics(this.map.total, {
      inView: this.peopleInView,
      unique: this.visitors.total,
      gapSeconds: this.map.gapSeconds,
      since: this.map.startedAt ?? at,
    });
  }

  /** Empties the day; counting starts again at `at`. */
  reset(at: number): void {
    this.map.reset();
    this.visitors.reset();
    this.map.startedAt = at;
  }

  /** The day as it stands, for heatmap-store: a copy, since the grid goes on changing while it is written. */
  snapshot(savedAt: number): HeatSnapshot {
    this.snapshotFrameAt = this.map.lastFrameAt;
    const grid = this.map.total;
    return {
      meta: {
        cameraId: this.cameraId,
        startedAt: this.map.startedAt ?? savedAt,
        savedAt,
        ...(this.map.lastFrameOrRestoredAt !== null ? { lastFrameAt: this.map.lastFrameOrRestoredAt } : {}),
        gridCols: grid.cols,
        gridRows: grid.rows,
        cellSize: grid.cellSize,
        sourceWidth: grid.sourceWidth,
        sourceHeight: grid.sourceHeight,
        statistics: this.statistics(savedAt),
        cameraGapSeconds: this.map.gapSeconds,
        visitors: this.visitors.total,
      },
      cells: new Float32Array(grid.cells),
    };
  }

  /**
   * Adds a saved snapshot of this camera (an earlier run of the same day); true when applied, false
   * when its heat is already in here. Throws when its grid does not match this one.
   */
  restore({ meta, cells }: HeatSnapshot): boolean {
    const applied = this.map.restore({
      grid: new HeatGrid(meta, new Float32Array(cells)),
      startedAt: meta.startedAt,
      lastFrameAt: meta.lastFrameAt ?? meta.savedAt,
      gapSeconds: meta.cameraGapSeconds,
    });
    if (applied) this.visitors.restore(meta.visitors);
    return applied;
  }
}
