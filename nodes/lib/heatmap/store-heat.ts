import type { CameraSelection } from '../control/command';
import { selected } from '../control/command';
import { dayFolder } from '../time/local-day';
import { CameraDay } from './camera-day';
import type { HeatAccumulatorOptions } from './heat-accumulator';
import type { HeatSnapshot } from './heat-snapshot';
import { isHeatSnapshot } from './heat-snapshot';
import { humanDuration } from '../time/human-duration';
import { StoreStatistics } from './statistics';

export type HeatSettings = Omit<HeatAccumulatorOptions, 'sourceWidth' | 'sourceHeight'>;

/** One camera's numbers as `/statistics` and the dashboard show them. */
export interface CameraStatistics extends StoreStatistics {
  camera: string;
  /** ms since epoch (wall clock) when this camera's last frame was analysed. */
  updatedAt: number;
  /** Frames came lately (LIVE_MS): its people in view are now, not when it stopped. */
  live: boolean;
}

/** A camera whose last frame is older than this is not live: its people in view are not counted as now. */
export const LIVE_MS = 5000;

/** The store: the sums over its cameras. */
export interface StoreTotals {
  cameras: number;
  /** Cameras with frames lately. */
  camerasLive: number;
  /** People in view now, over the live cameras (a camera that is down sees nobody it can vouch for). */
  peopleInView: number;
  uniquePeople: number;
  totalActivitySeconds: number;
  totalActivity: string;
  /** Camera-seconds without frames, summed over the cameras (missing data, not an empty store). */
  cameraGapSeconds: number;
  /** The same in words ("4 s", "12 min"), as each camera's `cameraGap`. */
  cameraGap: string;
  /** Cameras with any gap since their reset: the sum is over so many cameras. */
  camerasWithGaps: number;
  updatedAt: number;
}

/** Every camera's numbers and the store's totals: what the heatmap's first output carries in `msg.store`. */
export interface StoreStatisticsMap {
  cameras: Record<string, CameraStatistics>;
  totals: StoreTotals;
}

/** Sums the cameras' numbers (people, visitors and activity add up across cameras that see different floor). */
export function storeTotals(cameras: readonly CameraStatistics[]): StoreTotals {
  const sum = (pick: (c: CameraStatistics) => number) => cameras.reduce((total, c) => total + pick(c), 0);
  const activity = sum((c) => c.totalActivitySeconds);
  const gaps = sum((c) => c.cameraGapSeconds);
  return {
    cameras: cameras.length,
    camerasLive: cameras.filter((c) => c.live).length,
    peopleInView: sum((c) => (c.live ? c.peopleInView : 0)),
    uniquePeople: sum((c) => c.uniquePeople),
    totalActivitySeconds: activity,
    totalActivity: humanDuration(activity),
    cameraGapSeconds: gaps,
    cameraGap: humanDuration(gaps),
    camerasWithGaps: cameras.filter((c) => c.cameraGapSeconds > 0).length,
    updatedAt: cameras.reduce((latest, c) => Math.max(latest, c.updatedAt), 0),
  };
}

export interface TrackedFrame {
  cameraId: string;
  /** The frame's size in pixels: it fixes the camera's grid. */
  width: number;
  height: number;
  footPoints: ReadonlyArray<readonly [number, number]>;
  /** Capture time, ms since epoch. */
  at: number;
  /** The tracker's running count of unique ids for this camera, when known. */
  trackerUnique?: number;
  /** Wall clock when the frame is analysed (for `updatedAt`). */
  now: number;
}

export interface FrameOutcome {
  day: CameraDay;
  /** The finished day, when this frame began a new one: to be saved under its own date. */
  finishedDay: HeatSnapshot | null;
  /** A saved snapshot of this camera, held since the restore, was added to its new day. */
  restored: HeatSnapshot | null;
  /** A held snapshot that did not fit this camera's grid (it is dropped). */
  restoreError: Error | null;
  /** The camera's picture changed size: its day started again on a new grid (the old one is lost). */
  resized: boolean;
}

export interface RestoreOutcome {
  /** Added to a camera that already had a day. */
  applied: string[];
  /** Held until the camera's first frame (a camera removed from the flow never takes it). */
  held: string[];
  /** Of another day than today (with daily reset): not restored. */
  otherDay: string[];
  /** Saved before a reset of the camera: not restored. */
  beforeReset: string[];
  /** Items that are not heat snapshots, or that did not fit the camera's grid. */
  errors: Error[];
}

/**
 * The heat of every camera of a store, one CameraDay each, and the policies around them: a camera's
 * day starts with its first frame (its size fixes the grid), ends at local midnight with daily reset,
 * takes back a saved snapshot of today only once the camera sends frames again, and each command acts
 * on the cameras it names. No Node-RED here: the heatmap node binds messages and timers to it.
 */
export class StoreHeat {
  private readonly days = new Map<string, CameraDay>();
  /**
   * Each camera's numbers as of its last frame (or reset, or restore), and when that frame came.
   * Reading them off the grid takes a pass over every cell: done once per frame of that camera, not
   * for every camera at every frame of any camera.
   */
  private readonly latest = new Map<string, { updatedAt: number; statistics: StoreStatistics }>();
  /** Restored snapshots of cameras that have sent no frame yet. */
  private readonly held = new Map<string, HeatSnapshot>();
  /** When each camera (or, under '*', every camera) was last reset: older saved heat stays away. */
  private readonly resetAt = new Map<string, number>();

  constructor(
    private readonly settings: HeatSettings,
    private readonly resetDaily = true,
  ) {}

  cameras(): string[] {
    return [...this.days.keys()];
  }

  day(cameraId: string): CameraDay | undefined {
    return this.days.get(cameraId);
  }

  /** Adds one tracked frame to its camera's day. Throws on a frame without a size. */
  addFrame(frame: TrackedFrame): FrameOutcome {
    if (!(frame.width > 0 && frame.height > 0)) throw new Error('the frame has no size');
    const before = this.days.get(frame.cameraId);
    const { day, restored, restoreError } = this.dayFor(frame.cameraId, frame.width, frame.height, frame.at);
    let finishedDay: HeatSnapshot | null = null;
    if (this.resetDaily && day.isNewDay(frame.at)) {
      // Midnight: the finished day is saved under its own date, and today starts empty.
      finishedDay = day.snapshot(day.map.lastFrameAt!);
      day.reset(frame.at);
    }
    day.addFrame(frame.footPoints, frame.at, frame.trackerUnique);
    this.latest.set(frame.cameraId, { updatedAt: frame.now, statistics: day.statistics(frame.at) });
    return { day, finishedDay, restored, restoreError, resized: before !== undefined && before !== day };
  }

  /** One camera's numbers as of its last frame (`now`, the wall clock, tells whether it is live). */
  cameraStatistics(cameraId: string, now: number): CameraStatistics | null {
    const latest = this.latest.get(cameraId);
    if (!latest) return null;
    const { updatedAt, statistics } = latest;
    return { camera: cameraId, updatedAt, live: now - updatedAt <= LIVE_MS, ...statistics };
  }

  /** Every camera's numbers and the store's totals. */
  statistics(now: number): StoreStatisticsMap {
    const cameras: Record<string, CameraStatistics> = {};
    for (const id of [...this.latest.keys()].sort()) cameras[id] = this.cameraStatistics(id, now)!;
    return { cameras, totals: storeTotals(Object.values(cameras)) };
  }

  /** Empties the named cameras' days; returns their emptied snapshots, to be written at once. */
  reset(selection: CameraSelection, at: number): HeatSnapshot[] {
    const ids = selected(selection, this.days.keys());
    for (const id of ids) {
      this.days.get(id)!.reset(at);
      this.refresh(id, at);
    }
    const emptied = ids.map((id) => this.days.get(id)!.snapshot(at));
    // Heat saved before the reset must not come back: held now (its camera has sent no frame since
    // the restart: the empty day still replaces the saved one on disk), or arriving later.
    for (const id of selected(selection, [...this.held.keys()])) {
      const { meta } = this.held.get(id)!;
      const empty = new CameraDay(id, {
        ...this.settings,
        sourceWidth: meta.sourceWidth,
        sourceHeight: meta.sourceHeight,
      });
      empty.reset(at);
      emptied.push(empty.snapshot(at));
      this.held.delete(id);
    }
    if (selection.all) this.resetAt.set('*', at);
    else for (const id of selection.ids) this.resetAt.set(id, at);
    return emptied;
  }

  /** The named cameras' days as they stand. */
  snapshots(selection: CameraSelection, savedAt: number): HeatSnapshot[] {
    return selected(selection, this.days.keys()).map((id) => this.days.get(id)!.snapshot(savedAt));
  }

  /** The days that changed since their last snapshot (for the periodic hand-over to the store). */
  changedSnapshots(savedAt: number): HeatSnapshot[] {
    return [...this.days.values()].filter((d) => d.changedSinceSnapshot).map((d) => d.snapshot(savedAt));
  }

  /**
   * Takes saved snapshots back (heatmap-store's restore at start): each to its own camera only, today's
   * only (with daily reset). A camera without frames yet holds its snapshot until its first frame.
   */
  restore(items: readonly unknown[], now: number): RestoreOutcome {
    const outcome: RestoreOutcome = { applied: [], held: [], otherDay: [], beforeReset: [], errors: [] };
    for (const item of items) {
      if (!isHeatSnapshot(item)) {
        outcome.errors.push(
          new Error('a restore message needs heat snapshots from heatmap-store in msg.payload'),
        );
        continue;
      }
      const { cameraId, savedAt } = item.meta;
      if (this.resetDaily && dayFolder(savedAt) !== dayFolder(now)) {
        outcome.otherDay.push(cameraId);
        continue;
      }
      if (savedAt < Math.max(this.resetAt.get(cameraId) ?? -Infinity, this.resetAt.get('*') ?? -Infinity)) {
        outcome.beforeReset.push(cameraId);
        continue;
      }
      const day = this.days.get(cameraId);
      if (!day) {
        this.held.set(cameraId, item);
        outcome.held.push(cameraId);
        continue;
      }
      // The same accumulation (this day's own snapshot, sent back): already in here.
      if (item.meta.startedAt === day.map.startedAt) continue;
      try {
        if (day.restore(item)) {
          outcome.applied.push(cameraId);
          this.refresh(cameraId, now);
        }
      } catch (err) {
        outcome.errors.push(
          new Error(`${cameraId}: could not restore the saved heatmap: ${(err as Error).message}`),
        );
      }
    }
    return outcome;
  }

  /** Forgets every camera (the node is closing). */
  clear(): void {
    this.days.clear();
    this.latest.clear();
    this.held.clear();
    this.resetAt.clear();
  }

  /** A camera's numbers read again after its day changed without a frame (a reset, a restore). */
  private refresh(cameraId: string, at: number): void {
    const latest = this.latest.get(cameraId);
    const day = this.days.get(cameraId);
    if (latest && day) latest.statistics = day.statistics(at);
  }

  private dayFor(
    cameraId: string,
    width: number,
    height: number,
    at: number,
  ): { day: CameraDay; restored: HeatSnapshot | null; restoreError: Error | null } {
    const existing = this.days.get(cameraId);
    const grid = existing?.map.total;
    if (existing && grid!.sourceWidth === width && grid!.sourceHeight === height) {
      return { day: existing, restored: null, restoreError: null };
    }
    // A new camera, or one whose picture changed size: a new grid.
    const day = new CameraDay(cameraId, { ...this.settings, sourceWidth: width, sourceHeight: height });
    this.days.set(cameraId, day);
    const held = this.held.get(cameraId) ?? null;
    this.held.delete(cameraId);
    if (!held || (this.resetDaily && dayFolder(held.meta.savedAt) !== dayFolder(at))) {
      return { day, restored: null, restoreError: null };
    }
    try {
      day.restore(held);
      return { day, restored: held, restoreError: null };
    } catch (err) {
      return {
        day,
        restored: null,
        restoreError: new Error(
          `${cameraId}: could not restore the saved heatmap: ${(err as Error).message}`,
        ),
      };
    }
  }
}
