import type { NodeMessage } from 'node-red';
import type { CameraStatistics, StoreStatisticsMap } from '../lib/heatmap/store-heat';
import type { SnapshotReason } from '../lib/storage/snapshot-writer';
import type { HeatSnapshot } from '../lib/heatmap/heat-snapshot';

/** What the heatmap node adds to each frame message. */
export interface HeatmapInfo {
  cameraId: string;
  /** Since the last reset (the day). */
  statistics: CameraStatistics;
  /** ms since epoch of the first frame after the last reset. */
  startedAt: number;
  /** Seconds without frames from the camera since startedAt: missing data, not an empty store. */
  cameraGapSeconds: number;
  gridCols: number;
  gridRows: number;
}

export interface HeatmapMessage extends NodeMessage {
  /** This frame's camera. */
  heatmap: HeatmapInfo;
  /** Every camera's numbers and the store's totals (for /statistics and the dashboard). */
  store: StoreStatisticsMap;
}

/** The third output: heat snapshots for heatmap-store (periodic, on `save`/`snapshot`, at reset and midnight). */
export interface HeatSnapshotMessage extends NodeMessage {
  topic: 'heatmap/snapshot';
  payload: HeatSnapshot[];
  /** true: write now (a `save` request, a reset, the end of a day); false: keep as the latest. */
  save: boolean;
  reason: SnapshotReason;
}
