import type { NodeMessage } from 'node-red';
import type { FootfallTotals } from '../lib/counting/footfall-day';

/** What line-counter adds to each frame message of the cameras it counts. */
export interface FootfallMessage extends NodeMessage {
  footfall: Omit<FootfallTotals, 'occupancy'> & {
    cameraId: string;
    /** In minus out since opening; null when the node does not keep occupancy. */
    occupancy: number | null;
  };
}

/** The second output: one message per crossing. */
export interface CrossingMessage extends NodeMessage {
  topic: 'crossing';
  payload: {
    cameraId: string;
    line: string;
    direction: 'in' | 'out';
    trackId: number;
    /** ms since epoch: when the person stood past the line. */
    at: number;
    /** The same as an ISO time. */
    time: string;
  };
}
