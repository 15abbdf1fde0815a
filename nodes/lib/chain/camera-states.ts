import { footfallOf, type StatePayload } from './payloads';
import { cameraTopic, PAYLOAD_VERSION } from './topics';

/** The fields of a frame message a camera's state is read from. */
export interface FrameFields {
  tracks?: unknown[];
  frame?: { capturedAt?: number };
  footfall?: { lines?: Record<string, { in: number; out: number }> };
  zones?: { zones?: Record<string, { occupancy?: unknown }> };
}

/**
 * Each camera's retained state topic (people in view, today's footfall, zone occupancy) from its
 * frame messages: sent when it changed, at most once per `intervalMs` per camera (a change held
 * back goes with the next frame after the interval).
 */
export class CameraStates {
  private readonly last = new Map<string, { key: string; at: number }>();

  constructor(
    private readonly store: string,
    private readonly intervalMs: number,
  ) {}

  cameras(): string[] {
    return [...this.last.keys()];
  }

  /** The message to publish for this frame, or null (unchanged, or too soon). */
  offer(cameraId: string, msg: FrameFields, now: number): { topic: string; payload: string } | null {
    const footfall = footfallOf(msg.footfall?.lines ?? {});
    const zones: Record<string, number> = {};
    for (const [name, z] of Object.entries(msg.zones?.zones ?? {})) zones[name] = Number(z.occupancy ?? 0);
    const people = Array.isArray(msg.tracks) ? msg.tracks.length : 0;
    const key = JSON.stringify([people, footfall.in, footfall.out, zones]);
    const held = this.last.get(cameraId);
    if (held && (held.key === key || now - held.at < this.intervalMs)) return null;
    this.last.set(cameraId, { key, at: now });
    const at = typeof msg.frame?.capturedAt === 'number' ? msg.frame.capturedAt : now;
    const payload: StatePayload = {
      v: PAYLOAD_VERSION,
      store: this.store,
      camera: cameraId,
      time: new Date(at).toISOString(),
      people,
      footfall_in: footfall.in,
      footfall_out: footfall.out,
      zones,
    };
    return { topic: cameraTopic(this.store, cameraId, 'state'), payload: JSON.stringify(payload) };
  }
}
