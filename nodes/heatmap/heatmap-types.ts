import type { NodeMessage } from 'node-red';
import type { StoreStatistics } from '../lib/heatmap/statistics';
import type { HeatSnapshot } from '../lib/heatmap/heat-snapshot';

/** What the heatmap node adds to each frame message. */
export interface HeatmapInfo {
  cameraId: string;
  /** Since the last reset (the day). */
  statistics: StoreStatistics;
  /** ms since epoch of the first frame after the last reset. */
  startedAt: number;
  /** Seconds without frames from the camera since startedAt: missing data, not an empty store. */
  cameraGapSeconds: number;
  gridCols: number;
  gridRows: number;
}

export interface HeatmapMessage extends NodeMessage {
  heatmap: HeatmapInfo;
}

/** The third output: heat snapshots for heatmap-store (periodic, on `save`/`snapshot`, at reset and midnight). */
export interface HeatSnapshotMessage extends NodeMessage {
  topic: 'heatmap/snapshot';
  payload: HeatSnapshot[];
  /** true: write now (a `save` request, a reset, the end of a day); false: keep as the latest. */
  save: boolean;
}
