import type { NodeMessage } from 'node-red';

/**
 * The camera a message belongs to: `msg.frame.sourceId` (set by rtsp-in), else a string
 * `msg.topic`, else ''. Nodes that keep state per camera (tracker, heatmap, mjpeg-out) key it by this.
 */
export function cameraIdOf(msg: NodeMessage): string {
  const frame = (msg as NodeMessage & { frame?: { sourceId?: unknown } }).frame;
  if (typeof frame?.sourceId === 'string') return frame.sourceId;
  return typeof msg.topic === 'string' ? msg.topic : '';
}
