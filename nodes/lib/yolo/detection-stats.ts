import { RateMeter } from '../time/rate-meter';

/** One camera's detection figures, as of the node's last status second; on every message it sends. */
export interface CameraDetectionStats {
  /** Frames the model answered per second. */
  detectionsPerSecond: number;
  /** Frames that went through the node per second (all of them go on: this is the tracked rate). */
  framesPerSecond: number;
  /** Since the node started: frames detected, passed over for lack of motion, dropped under load. */
  detected: number;
  skippedByMotion: number;
  droppedByLoad: number;
}

/** One camera's counts, and the rates and idleness the status reads once a second. */
export class CameraDetectionCounter {
  readonly stats: CameraDetectionStats = {
    detectionsPerSecond: 0,
    framesPerSecond: 0,
    detected: 0,
    skippedByMotion: 0,
    droppedByLoad: 0,
  };
  private readonly frames = new RateMeter();
  private readonly detections = new RateMeter();
  /** Frames in the current status second, and those the gate passed over for lack of motion. */
  private framesThisSecond = 0;
  private idleFrames = 0;

  frame(): void {
    this.frames.tick();
    this.framesThisSecond++;
  }

  detected(): void {
    this.detections.tick();
    this.stats.detected++;
  }

  skippedByMotion(): void {
    this.stats.skippedByMotion++;
    this.idleFrames++;
  }

  droppedByLoad(): void {
    this.stats.droppedByLoad++;
  }

  /**
   * Closes the status second: updates the rates in `stats` and tells whether the camera was idle
   * (every frame of the second passed over for lack of motion).
   */
  second(now: number): { idle: boolean } {
    this.stats.detectionsPerSecond = Number(this.detections.perSecond(now).toFixed(2));
    this.stats.framesPerSecond = Number(this.frames.perSecond(now).toFixed(2));
    const idle = this.framesThisSecond > 0 && this.idleFrames === this.framesThisSecond;
    this.framesThisSecond = 0;
    this.idleFrames = 0;
    return { idle };
  }
}
