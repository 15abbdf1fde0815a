import type { NodeMessage } from 'node-red';
import type { SavedFiles } from '../lib/storage/heat-snapshot-store';

/** The first output: what a save wrote (in answer to a save request, or after an autosave). */
export interface SavedMessage extends NodeMessage {
  /** The store's directory (absolute), for a flow that does more with the files. */
  directory?: string;
  payload: {
    /** ms since epoch. */
    savedAt: number;
    /** The files written, relative to `directory` ("20260315/heatmap_camera-1.npy"). */
    saved: Array<SavedFiles & { cameraId: string }>;
    /** Set when a write failed: the heat stays in memory and is tried again. */
    error?: string;
  };
  /** 500 when a write failed, for an http response node answering a save request. */
  statusCode?: number;
}
