import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { HourHeat, StoredMinute } from '../history/history-db';
import { cameraTopic, PAYLOAD_VERSION, type MessageKind } from './topics';
import type { OutboxItem } from './outbox';

/**
 * The payloads a store box publishes (their `seq` is added by the outbox). Names are short and in
 * snake case, as the head office's columns: a payload is a row, read without a mapping table.
 */

/** A camera's minute as history holds it now: the whole minute (not what the last write added). */
export interface MinutePayload {
  v: number;
  store: string;
  camera: string;
  /** The minute's start (ISO, UTC). */
  time: string;
  covered_s: number;
  people_s: number;
  people_max: number;
  visitors: number;
  activity_s: number | null;
  /** Per line: crossings in and out. */
  lines: Record<string, { in: number; out: number }>;
  /** Per zone: person-seconds, peak, entries, finished visits and their seconds. */
  zones: Record<
    string,
    { occupancy_s: number; occupancy_max: number; visits: number; dwells: number; dwell_s: number }
  >;
  seq: number;
}

export type Body<T> = Omit<T, 'seq'>;

const round = (x: number, places = 3) => Math.round(x * 10 ** places) / 10 ** places;

/** The outbox message of a stored minute. */
export function minuteItem(store: string, m: StoredMinute): OutboxItem {
  const body: Body<MinutePayload> = {
    v: PAYLOAD_VERSION,
    store,
    camera: m.cameraId,
    time: new Date(m.minute).toISOString(),
    covered_s: round(m.coveredSeconds),
    people_s: round(m.peopleSeconds),
    people_max: m.peopleMax,
    visitors: m.visitors,
    activity_s: m.activitySeconds === null ? null : round(m.activitySeconds),
    lines: m.lines,
    zones: Object.fromEntries(
      Object.entries(m.zones).map(([name, z]) => [
        name,
        {
          occupancy_s: round(z.occupancySeconds),
          occupancy_max: z.occupancyMax,
          visits: z.visits,
          dwells: z.dwells,
          dwell_s: round(z.dwellSeconds),
        },
      ]),
    ),
  };
  return { kind: 'minute', topic: cameraTopic(store, m.cameraId, 'minute'), body, at: m.minute };
}

/** A crossing of a line or a zone's enter/exit, as it happened. */
export interface EventPayload {
  v: number;
  store: string;
  camera: string;
  time: string;
  /** "crossing" (line, direction) or "zone" (zone, event, dwell_s on exit). */
  kind: string;
  track: number | null;
  line?: string;
  direction?: string;
  zone?: string;
  event?: string;
  dwell_s?: number;
  seq: number;
}

/** The outbox message of a line-counter "crossing" or zone-monitor "zone" message; null for others. */
export function eventItem(store: string, topic: unknown, payload: unknown): OutboxItem | null {
  if (topic !== 'crossing' && topic !== 'zone') return null;
  const p = payload as Record<string, unknown> | null;
  if (!p || typeof p.cameraId !== 'string' || typeof p.at !== 'number' || !Number.isFinite(p.at)) return null;
  const body: Body<EventPayload> = {
    v: PAYLOAD_VERSION,
    store,
    camera: p.cameraId,
    time: new Date(p.at).toISOString(),
    kind: topic,
    track: typeof p.trackId === 'number' ? p.trackId : null,
  };
  if (topic === 'crossing') {
    body.line = String(p.line);
    body.direction = String(p.direction);
  } else {
    body.zone = String(p.zone);
    body.event = String(p.event);
    if (typeof p.dwellSeconds === 'number') body.dwell_s = p.dwellSeconds;
  }
  return { kind: 'event', topic: cameraTopic(store, p.cameraId, 'event', topic), body, at: p.at };
}

/**
 * An hour's heat, compact: the grid scaled to 0..255 of its peak (`peak` person-seconds per cell),
 * deflated and in base64. A 64 x 36 grid is ~9 KB of floats and one to two KB here.
 */
export interface HeatPayload {
  v: number;
  store: string;
  camera: string;
  /** The hour's start. */
  time: string;
  cols: number;
  rows: number;
  /** The source frame's size, so the grid can be drawn over a picture of the camera. */
  width: number;
  height: number;
  peak: number;
  cells: string;
  seq: number;
}

export function heatItem(store: string, h: HourHeat): OutboxItem {
  let peak = 0;
  for (const c of h.cells) if (c > peak) peak = c;
  const bytes = Buffer.alloc(h.cells.length);
  if (peak > 0) for (let i = 0; i < h.cells.length; i++) bytes[i] = Math.round((h.cells[i] / peak) * 255);
  const body: Body<HeatPayload> = {
    v: PAYLOAD_VERSION,
    store,
    camera: h.cameraId,
    time: new Date(h.hour).toISOString(),
    cols: h.cols,
    rows: h.rows,
    width: h.width,
    height: h.height,
    peak: round(peak, 4),
    cells: deflateRawSync(bytes).toString('base64'),
  };
  return { kind: 'heat', topic: cameraTopic(store, h.cameraId, 'heat'), body, at: h.hour };
}

/** The grid of a heat payload, in person-seconds per cell (to the 1/255 of its peak). */
export function heatCells(p: Pick<HeatPayload, 'cols' | 'rows' | 'peak' | 'cells'>): Float32Array {
  const bytes = inflateRawSync(Buffer.from(p.cells, 'base64'));
  if (bytes.length !== p.cols * p.rows)
    throw new Error(`a heat payload holds ${bytes.length} cells, not ${p.cols} x ${p.rows}`);
  return Float32Array.from(bytes, (b) => (b / 255) * p.peak);
}

/** The retained state of a camera: what is true now (not through the outbox: only the latest counts). */
export interface StatePayload {
  v: number;
  store: string;
  camera: string;
  time: string;
  people: number;
  /** Today's line crossings in and out, summed over the camera's lines; null without lines. */
  footfall_in: number | null;
  footfall_out: number | null;
  /** People in each zone now. */
  zones: Record<string, number>;
}

export type PayloadOf<K extends MessageKind> = K extends 'minute'
  ? MinutePayload
  : K extends 'event'
    ? EventPayload
    : K extends 'heat'
      ? HeatPayload
      : StatePayload;

/** Checks the numbers of a minute payload (head office stores nothing it cannot read). */
export function checkMinutePayload(p: Record<string, unknown>): MinutePayload {
  for (const k of ['covered_s', 'people_s', 'people_max', 'visitors'] as const) {
    if (typeof p[k] !== 'number' || !Number.isFinite(p[k]) || (p[k] as number) < 0)
      throw new Error(`a minute's ${k} must be a number of 0 or more, not ${JSON.stringify(p[k])}`);
  }
  if (p.activity_s !== null && typeof p.activity_s !== 'number')
    throw new Error("a minute's activity_s must be a number or null");
  if (typeof p.lines !== 'object' || p.lines === null || typeof p.zones !== 'object' || p.zones === null)
    throw new Error('a minute has lines and zones objects');
  if (Date.parse(p.time as string) % 60_000 !== 0)
    throw new Error(`a minute's time must be a minute's start, not ${String(p.time)}`);
  return p as unknown as MinutePayload;
}

/** Sums a minute's line crossings (null without lines): the store's footfall. */
export function footfallOf(lines: Record<string, { in: number; out: number }>): {
  in: number | null;
  out: number | null;
} {
  const all = Object.values(lines);
  if (all.length === 0) return { in: null, out: null };
  return { in: all.reduce((t, l) => t + l.in, 0), out: all.reduce((t, l) => t + l.out, 0) };
}
