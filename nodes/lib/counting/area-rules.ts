/*
 * The rules lines and zones are read and checked by, in Node (areas.ts re-exports them for the
 * nodes, the tools and the benchmarks) and in the browser: the area editor (resources/) runs this
 * very file, compiled by tsc and wrapped by scripts/copy-assets.mjs into resources/area-rules.js
 * (window.StoreAnalyticsAreaRules). So the file imports types only: a runtime import would not
 * exist in the browser, and the build refuses it.
 */
import type { Point } from '../geometry/plane';
import type { CountingLine } from './line-counter';
import type { Zone } from './zone-monitor';

/** Lines and zones, as the offline runner's areas.json holds them (source-frame pixels). */
export interface Areas {
  lines: CountingLine[];
  zones: Zone[];
}

function point(value: unknown, where: string): Point {
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw new Error(`${where} must be a point [x, y]`);
  }
  return [value[0], value[1]];
}

function name(value: unknown, where: string, seen: Set<string>): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${where} needs a name`);
  if (seen.has(value)) throw new Error(`${where}: the name "${value}" is used twice`);
  seen.add(value);
  return value;
}

/**
 * Reads `{"lines": [{"name", "from": [x, y], "to": [x, y]}], "zones": [{"name", "polygon": [[x, y], ...]}]}`;
 * throws with what is wrong (and where) instead of counting on a half-read file.
 */
export function parseAreas(json: unknown): Areas {
  const value = json as { lines?: unknown; zones?: unknown } | null;
  if (typeof value !== 'object' || value === null)
    throw new Error('areas must be an object with "lines" and "zones"');
  const lines = value.lines ?? [];
  const zones = value.zones ?? [];
  if (!Array.isArray(lines) || !Array.isArray(zones)) throw new Error('"lines" and "zones" must be lists');
  const lineNames = new Set<string>();
  const zoneNames = new Set<string>();
  return {
    lines: lines.map((l: { name?: unknown; from?: unknown; to?: unknown }, i) => {
      const where = `line ${i + 1}`;
      const line = {
        name: name(l?.name, where, lineNames),
        from: point(l?.from, `${where} "from"`),
        to: point(l?.to, `${where} "to"`),
      };
      if (line.from[0] === line.to[0] && line.from[1] === line.to[1])
        throw new Error(`${where} has no length`);
      return line;
    }),
    zones: zones.map((z: { name?: unknown; polygon?: unknown; queue?: unknown }, i) => {
      const where = `zone ${i + 1}`;
      const zoneName = name(z?.name, where, zoneNames);
      if (!Array.isArray(z?.polygon) || z.polygon.length < 3)
        throw new Error(`${where} needs a polygon of at least 3 points`);
      if (z.queue !== undefined && typeof z.queue !== 'boolean')
        throw new Error(`${where}: "queue" must be true or false`);
      return {
        name: zoneName,
        polygon: z.polygon.map((p: unknown, k: number) => point(p, `${where} point ${k + 1}`)),
        ...(z.queue ? { queue: true } : {}),
      };
    }),
  };
}

/** The same areas with every point multiplied by (sx, sy): fractions to pixels and back. */
export function scaleAreas(areas: Areas, sx: number, sy: number): Areas {
  const scale = (p: Point): Point => [p[0] * sx, p[1] * sy];
  return {
    lines: areas.lines.map((l) => ({ ...l, from: scale(l.from), to: scale(l.to) })),
    zones: areas.zones.map((z) => ({ ...z, polygon: z.polygon.map(scale) })),
  };
}

/** What `settingJson` gives for blank text. */
const BLANK = Symbol('blank');

/** A setting as JSON: text is parsed (blank text is BLANK), anything else taken as it is. */
function settingJson(value: unknown, what: string): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return BLANK;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`the ${what} are not JSON: ${(err as Error).message}`);
  }
}

/**
 * Areas drawn in the editor or sent by a flow: coordinates as fractions of the frame (0-1), so a
 * change of resolution keeps them; or in pixels of a frame of `size: [width, height]`. Takes the
 * parsed JSON or its text (a node setting, an environment variable). Throws with what is wrong.
 */
export function parseFrameAreas(value: unknown): Areas {
  const json = settingJson(value, 'areas');
  if (json === BLANK) return { lines: [], zones: [] };
  const size = (json as { size?: unknown } | null)?.size;
  const areas = parseAreas(json);
  if (size !== undefined) {
    if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => typeof v === 'number' && v > 0))
      throw new Error('"size" must be the frame\'s [width, height] in pixels');
    return scaleAreas(areas, 1 / size[0], 1 / size[1]);
  }
  const points = [...areas.lines.flatMap((l) => [l.from, l.to]), ...areas.zones.flatMap((z) => z.polygon)];
  if (points.some(([x, y]) => x < 0 || x > 1 || y < 0 || y > 1)) {
    throw new Error(
      'coordinates are fractions of the frame (0 to 1); for pixels add "size": [width, height]',
    );
  }
  return areas;
}

/**
 * One kind of area from a node's setting or a message: a list (of lines or zones), or an object
 * `{ lines?, zones?, size? }` (as an environment variable may hold it); the other kind is dropped.
 */
export function areasSetting(value: unknown, kind: 'lines' | 'zones'): Areas {
  let json = settingJson(value, kind);
  if (json === BLANK || json === undefined || json === null) return { lines: [], zones: [] };
  if (Array.isArray(json)) json = { [kind]: json };
  const areas = parseFrameAreas(json);
  return kind === 'lines' ? { lines: areas.lines, zones: [] } : { lines: [], zones: areas.zones };
}

/**
 * What is wrong with one kind of area in a node's setting (as `areasSetting` reads it: a list, its
 * JSON text, or an object), in the words the runtime would refuse it with; null when it is fine.
 * The edit dialogs validate the drawing with this.
 */
export function areasProblem(value: unknown, kind: 'lines' | 'zones'): string | null {
  try {
    areasSetting(value, kind);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * The camera id an rtsp-in node gives its frames (`msg.frame.sourceId`): its Camera id setting,
 * else its name, else its node id. The editor names the wired cameras by it.
 */
export function cameraSourceId(config: { cameraId?: unknown; name?: unknown }, nodeId: string): string {
  return String(config.cameraId || config.name || nodeId).trim();
}
