import type { NodeMessage } from 'node-red';
import type { TrackedObject } from '../lib/track/byte-tracker';

export interface PeopleCounts {
  /** Confirmed tracks seen in this frame. */
  inView: number;
  /** IDs issued since the last reset (for this camera). */
  unique: number;
}

export interface TracksMessage extends NodeMessage {
  tracks: TrackedObject[];
  counts: PeopleCounts;
}
