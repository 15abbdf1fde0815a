import type { TrackedFoot } from './line-counter';

/** One frame's people, as line-counter and zone-monitor read it from the tracker's (or heatmap's) message. */
export interface FrameTracks {
  cameraId: string;
  width: number;
  height: number;
  /** ms: the frame's capture time (else its arrival). */
  at: number;
  tracks: TrackedFoot[];
}

/** The part of a tracks message (message kind 'tracks') the counting nodes read. */
export interface TracksMessage {
  tracks: unknown[];
  frame?: { width?: unknown; height?: unknown; capturedAt?: unknown };
}

/** The frame's people, or why the message cannot be counted. Tracks without a usable foot point are left out. */
export function frameTracksOf(msg: TracksMessage, cameraId: string, now: number): FrameTracks | string {
  const width = Number(msg.frame?.width);
  const height = Number(msg.frame?.height);
  if (!(width > 0 && height > 0)) {
    return 'msg.frame.width and height are missing: the areas are fractions of the frame (from rtsp-in)';
  }
  const tracks: TrackedFoot[] = [];
  for (const t of msg.tracks as Array<{ id?: unknown; footPoint?: unknown } | null>) {
    const p = t?.footPoint;
    if (
      typeof t?.id === 'number' &&
      Array.isArray(p) &&
      p.length === 2 &&
      p.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      tracks.push({ id: t.id, footPoint: [p[0], p[1]] });
    }
  }
  const at = typeof msg.frame?.capturedAt === 'number' ? msg.frame.capturedAt : now;
  return { cameraId, width, height, at, tracks };
}
