import type { BackgroundPicture } from '../image/camera-backgrounds';
import { type Message, TOPICS } from '../messages/message-kinds';
import { type HeatSnapshot, isHeatSnapshot, SNAPSHOT_REASONS, type SnapshotReason } from './heat-snapshot';

/**
 * The messages the heatmap sends its two readers. heatmap-store (the heatmap's third output) gets the
 * snapshots, the backgrounds and the restore requests, and a save's snapshots come with the message
 * that asked (its HTTP request, answered by the store on an output of its own). analytics-history
 * (the fourth output) gets the snapshots and the backgrounds: data only, never a request.
 */

/** The day's heat maps of some cameras (periodic, on `save`/`snapshot`, at a reset and at midnight). */
export interface HeatSnapshotMessage extends Message {
  topic: typeof TOPICS.heatSnapshot;
  payload: HeatSnapshot[];
  /** Why: `periodic` is kept as the latest; the others are written at once. */
  reason: SnapshotReason;
}

/** A camera's person-free picture. */
export interface HeatBackgroundMessage extends Message {
  topic: typeof TOPICS.heatBackground;
  payload: BackgroundPicture;
}

/** Snapshots for the store (with the asking message, if any) and for history (without it); null: none. */
export function snapshotMessages(
  snapshots: HeatSnapshot[],
  reason: SnapshotReason,
  request?: object,
): { store: HeatSnapshotMessage | null; history: HeatSnapshotMessage | null } {
  const data: HeatSnapshotMessage = { topic: TOPICS.heatSnapshot, payload: snapshots, reason };
  return {
    // A request with no camera yet still reaches the store, so that it is answered.
    store: snapshots.length > 0 || request ? { ...request, ...data } : null,
    history: snapshots.length > 0 ? data : null,
  };
}

export function backgroundMessage(picture: BackgroundPicture): HeatBackgroundMessage {
  return { topic: TOPICS.heatBackground, payload: picture };
}

/** A restarted heatmap asks the store for today's saved heat. */
export function restoreRequestMessage(): Message {
  return { topic: TOPICS.heatRestoreRequest };
}

/** The snapshots a heatmap/snapshot message carries (one or an array), or null when one is not a snapshot. */
export function snapshotsOf(payload: unknown): HeatSnapshot[] | null {
  const items = Array.isArray(payload) ? payload : [payload];
  return items.every(isHeatSnapshot) ? items : null;
}

/**
 * Why the snapshots were sent: msg.reason. A message of an older heatmap without a reason but with
 * `save: true` (the flag said the same as the reason) is a save; anything else is periodic.
 */
export function reasonOf(msg: { reason?: unknown; save?: unknown }): SnapshotReason {
  if (SNAPSHOT_REASONS.includes(msg.reason as SnapshotReason)) return msg.reason as SnapshotReason;
  return msg.save === true ? 'save' : 'periodic';
}
