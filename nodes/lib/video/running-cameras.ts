import { safeName as fileNameOf } from '../storage/safe-name';

/**
 * The rtsp-in nodes running in this Node-RED: the camera id each holds and its latest picture (for
 * the counting nodes' dialogs to draw on).
 *
 * Camera ids are held as the file names their saved days get: frames, heat, feeds and saved days are
 * all keyed by the id, and two ids that differ only where a file name cannot (front door, front_door)
 * would share a saved day.
 */
export class RunningCameras {
  /** Node id per camera id (as a file name). */
  private readonly owners = new Map<string, string>();
  private readonly latest = new Map<string, Buffer>();

  /** Why `cameraId` cannot be held: another rtsp-in node holds it (or one a file name cannot tell apart). */
  inUseProblem(cameraId: string): string | null {
    return this.owners.has(fileNameOf(cameraId))
      ? `camera id "${cameraId}" is used by another rtsp-in node (or one that differs only in characters a file name cannot hold): give each camera its own id`
      : null;
  }

  /** Holds `cameraId` for node `owner` until `release` (after `inUseProblem` said it is free). */
  claim(cameraId: string, owner: string): void {
    this.owners.set(fileNameOf(cameraId), owner);
  }

  /** Node `owner` stopped: its camera id is free and its picture gone. */
  release(cameraId: string, owner: string): void {
    if (this.owners.get(fileNameOf(cameraId)) === owner) this.owners.delete(fileNameOf(cameraId));
    this.latest.delete(owner);
  }

  /** The latest picture of node `owner`'s camera. */
  setLatestFrame(owner: string, jpeg: Buffer): void {
    this.latest.set(owner, jpeg);
  }

  latestFrame(owner: string): Buffer | undefined {
    return this.latest.get(owner);
  }
}
