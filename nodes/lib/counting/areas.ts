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
    zones: zones.map((z: { name?: unknown; polygon?: unknown }, i) => {
      const where = `zone ${i + 1}`;
      const zoneName = name(z?.name, where, zoneNames);
      if (!Array.isArray(z?.polygon) || z.polygon.length < 3)
        throw new Error(`${where} needs a polygon of at least 3 points`);
      return {
        name: zoneName,
        polygon: z.polygon.map((p: unknown, k: number) => point(p, `${where} point ${k + 1}`)),
      };
    }),
  };
}
