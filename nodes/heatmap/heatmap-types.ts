import type { NodeMessage } from 'node-red';
import type { HeatmapInfo } from '../lib/heatmap/heatmap-controller';
import type { StoreStatisticsMap } from '../lib/heatmap/store-heat';

export type { HeatmapInfo } from '../lib/heatmap/heatmap-controller';
export type { HeatSnapshotMessage } from '../lib/heatmap/heat-messages';

/** The first output: the frame message with what the heatmap adds to it. */
export interface HeatmapMessage extends NodeMessage {
  /** This frame's camera. */
  heatmap: HeatmapInfo;
  /** Every camera's numbers and the store's totals (for /statistics and the dashboard). */
  store: StoreStatisticsMap;
}
