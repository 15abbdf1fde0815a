/**
 * The cameras this Node-RED has, as the nodes that have them say: a running rtsp-in names its camera,
 * the heatmap each camera it keeps a day for. A feed (mjpeg-out) asks it whether a path such as
 * `/video_feed/door` names a real camera that just has not sent a frame yet, or none at all (404).
 * Each node that names a camera owns that entry; the camera is known while any owner holds it.
 */
export class KnownCameras {
  private readonly owners = new Map<string, Set<string>>();

  /** `owner` (a node id) has camera `cameraId`. */
  add(cameraId: string, owner: string): void {
    let held = this.owners.get(cameraId);
    if (!held) {
      held = new Set();
      this.owners.set(cameraId, held);
    }
    held.add(owner);
  }

  /** `owner` has no camera any more (the node closed). */
  removeOwner(owner: string): void {
    for (const [cameraId, held] of this.owners) {
      held.delete(owner);
      if (held.size === 0) this.owners.delete(cameraId);
    }
  }

  has(cameraId: string): boolean {
    return this.owners.has(cameraId);
  }

  /** The known camera ids, sorted. */
  list(): string[] {
    return [...this.owners.keys()].sort();
  }
}

/** The one list of this Node-RED process (every node module of this package shares it). */
export const knownCameras = new KnownCameras();
