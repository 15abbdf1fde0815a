import type { NodeMessage } from 'node-red';

/**
 * The camera a message belongs to: `msg.frame.sourceId` (set by rtsp-in), else a string
 * `msg.topic`, else ''. Nodes that keep state per camera (tracker, heatmap) key it by this.
 */
export function cameraIdOf(msg: NodeMessage): string {
  const frame = (msg as NodeMessage & { frame?: { sourceId?: unknown } }).frame;
  if (typeof frame?.sourceId === 'string') return frame.sourceId;
  return typeof msg.topic === 'string' ? msg.topic : '';
}

/**
 * The cameras a control message names, among those with state: the one camera when the message
 * carries `msg.frame.sourceId`, else every camera.
 */
export function camerasNamed<T>(states: Map<string, T>, msg: NodeMessage): string[] {
  const hasSource =
    typeof (msg as NodeMessage & { frame?: { sourceId?: unknown } }).frame?.sourceId === 'string';
  return hasSource ? [cameraIdOf(msg)].filter((id) => states.has(id)) : [...states.keys()];
}

/** Resets the per-camera state a `reset` message names (see camerasNamed). */
export function resetCameras<T>(states: Map<string, T>, msg: NodeMessage, reset: (state: T) => void): void {
  for (const id of camerasNamed(states, msg)) reset(states.get(id)!);
}
