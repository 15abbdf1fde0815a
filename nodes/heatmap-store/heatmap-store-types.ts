import type { NodeMessage } from 'node-red';
import type { SavedPayload } from '../lib/storage/heat-store-service';

/** Output 1 (a notice, topic "heatmap/saved") and output 3 (the answer to a save asked over HTTP). */
export interface SavedMessage extends NodeMessage {
  /** The store's directory (absolute), for a flow that does more with the files. */
  directory?: string;
  payload: SavedPayload;
  /** On an HTTP answer: 500 when a write failed (503 from a refused store). */
  statusCode?: number;
}
