import type { NodeMessage } from 'node-red';
import type { HeatStatistics } from '../lib/heatmap/statistics';

/** What the heatmap node adds to each frame message. */
export interface HeatmapInfo {
  cameraId: string;
  /** Since the last reset (the day). */
  statistics: HeatStatistics;
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
