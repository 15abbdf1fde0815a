import type { StoreStatistics } from './statistics';

/** What is written next to the grid, as JSON. */
export interface HeatSnapshotMeta {
  cameraId: string;
  /** ms since epoch: start of the accumulation (last reset) and time of this snapshot. */
  startedAt: number;
  savedAt: number;
  /**
   * Capture time (ms since epoch) of the last frame in this heat: the frames' clock, which a restore
   * compares with the first frame of the day it joins. Missing in snapshots of an empty day and in
   * files written before it was added: savedAt stands in.
   */
  lastFrameAt?: number;
  gridCols: number;
  gridRows: number;
  cellSize: number;
  sourceWidth: number;
  sourceHeight: number;
  statistics: StoreStatistics;
  /** Seconds without frames from the camera since startedAt: missing data, not an empty store. */
  cameraGapSeconds: number;
  /** Visitors counted since startedAt. */
  visitors: number;
}

/**
 * Why a snapshot was handed over:
 * - `periodic`: the latest state, written at the next autosave;
 * - `save`: someone asked for it to be written now (and is waiting for the answer);
 * - `reset`: the day was emptied on purpose; written now, replacing what is on disk;
 * - `day-end`: the finished day at midnight, written now under its own date.
 */
export type SnapshotReason = 'periodic' | 'save' | 'reset' | 'day-end';

export const SNAPSHOT_REASONS: readonly SnapshotReason[] = ['periodic', 'save', 'reset', 'day-end'];

/**
 * A heat snapshot as it travels between the heatmap and heatmap-store nodes (in `msg.payload`):
 * the metadata and the grid's cells, row-major person-seconds (gridRows x gridCols).
 */
export interface HeatSnapshot {
  meta: HeatSnapshotMeta;
  cells: Float32Array;
}

/** Checks that a message payload is a heat snapshot whose cells fit its grid. */
export function isHeatSnapshot(value: unknown): value is HeatSnapshot {
  const v = value as Partial<HeatSnapshot> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.cells instanceof Float32Array &&
    typeof v.meta === 'object' &&
    v.meta !== null &&
    typeof v.meta.cameraId === 'string' &&
    Number.isFinite(v.meta.savedAt) &&
    Number.isFinite(v.meta.startedAt) &&
    (v.meta.lastFrameAt === undefined || Number.isFinite(v.meta.lastFrameAt)) &&
    v.cells.length === v.meta.gridCols * v.meta.gridRows
  );
}
