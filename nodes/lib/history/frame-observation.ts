import type { FrameObservation } from './minute-recorder';

/** The fields of a frame message history reads: the tracker's, the heatmap's and the counters'. */
export interface FrameFields {
  tracks: readonly unknown[];
  frame?: { capturedAt?: unknown };
  heatmap?: { startedAt?: unknown; statistics?: { uniquePeople?: unknown; totalActivitySeconds?: unknown } };
  footfall?: { day?: unknown; lines?: Record<string, { in: number; out: number }> };
  zones?: { day?: unknown; zones?: Record<string, Record<string, unknown>> };
}

/**
 * What one frame message tells history (see FrameObservation): the people in view, and the day's
 * running totals the heatmap, line-counter and zone-monitor put on it. `now` stands in for a frame
 * without its capture time.
 */
export function observationOf(cameraId: string, msg: FrameFields, now: number): FrameObservation {
  const capturedAt = msg.frame?.capturedAt;
  const obs: FrameObservation = {
    cameraId,
    at: typeof capturedAt === 'number' ? capturedAt : now,
    peopleInView: msg.tracks.length,
  };
  const h = msg.heatmap;
  if (h && typeof h.startedAt === 'number' && h.statistics) {
    obs.heat = {
      since: h.startedAt,
      visitors: Number(h.statistics.uniquePeople ?? 0),
      activitySeconds: Number(h.statistics.totalActivitySeconds ?? 0),
    };
  }
  if (msg.footfall && typeof msg.footfall.day === 'string' && msg.footfall.lines) {
    obs.footfall = { day: msg.footfall.day, lines: msg.footfall.lines };
  }
  if (msg.zones && typeof msg.zones.day === 'string' && msg.zones.zones) {
    const zones: NonNullable<FrameObservation['zones']>['zones'] = {};
    for (const [name, z] of Object.entries(msg.zones.zones)) {
      zones[name] = {
        occupancy: Number(z.occupancy ?? 0),
        visits: Number(z.visits ?? 0),
        dwells: Number(z.dwells ?? 0),
        dwellSeconds: Number(z.dwellSeconds ?? 0),
        personSeconds: Number(z.personSeconds ?? 0),
      };
    }
    obs.zones = { day: msg.zones.day, zones };
  }
  return obs;
}
