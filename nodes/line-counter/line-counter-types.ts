import type { NodeMessage } from 'node-red';
import type { CrossingPayload, FootfallSummary } from '../lib/counting/line-counting';

/** What line-counter adds to each frame message of the cameras it counts. */
export interface FootfallMessage extends NodeMessage {
  footfall: FootfallSummary;
}

/** The second output: one message per crossing (with the frame it completed in). */
export interface CrossingMessage extends NodeMessage {
  topic: 'crossing';
  payload: CrossingPayload;
  frame?: unknown;
}
