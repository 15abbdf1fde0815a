#!/usr/bin/env node
/**
 * Counts the crossings of one set of tracks (the offline runner's MOT output) by three rules, to show
 * what the line counter's rule buys over the usual ones:
 *   - line-counter: the node's rule and defaults (band, time past the line, segment, every crossing);
 *   - per-crossing: every change of side between two observations of an id, within the segment;
 *   - id-once: per-crossing, but each id counted once per line (Ultralytics' ObjectCounter rule).
 *
 *   npx tsx bench/counting-rules.ts --mot tracks.txt --areas bench/areas/vtest-areas.json [--fps 10] [--frames 1-400]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAreas } from '../nodes/lib/counting/areas';
import { LineCounter, TrackedFoot } from '../nodes/lib/counting/line-counter';
import { sideOfLine } from '../nodes/lib/geometry/plane';

const { values } = parseArgs({
  options: {
    mot: { type: 'string' },
    areas: { type: 'string' },
    fps: { type: 'string', default: '10' },
    frames: { type: 'string' },
  },
});
if (!values.mot || !values.areas)
  throw new Error('usage: --mot <tracks.txt> --areas <areas.json> [--fps 10] [--frames 1-400]');
const fps = Number(values.fps);
const [first, last] = (values.frames ?? '1-999999999').split('-').map(Number);
const areas = parseAreas(JSON.parse(readFileSync(values.areas, 'utf8')));

// frame -> tracks with their foot points (bottom centre of the box).
const byFrame = new Map<number, TrackedFoot[]>();
for (const row of readFileSync(values.mot, 'utf8').split('\n')) {
  const [frame, id, left, top, width, height] = row.split(',').map(Number);
  if (!(frame >= first && frame <= last)) continue;
  const list = byFrame.get(frame) ?? [];
  list.push({ id, footPoint: [left + width / 2, top + height] });
  byFrame.set(frame, list);
}
const frames = [...byFrame.keys()].sort((a, b) => a - b);
const at = (frame: number) => ((frame - 1) * 1000) / fps;

type Counts = Record<string, { in: number; out: number }>;
const zero = (): Counts => Object.fromEntries(areas.lines.map((l) => [l.name, { in: 0, out: 0 }]));

const counter = new LineCounter(areas.lines);
for (const f of frames) counter.update(byFrame.get(f)!, at(f));
counter.closeAll();

function simple(oncePerId: boolean): Counts {
  const counts = zero();
  const last = new Map<string, { distance: number; along: number }>();
  const counted = new Set<string>();
  for (const f of frames) {
    for (const t of byFrame.get(f)!) {
      for (const line of areas.lines) {
        const key = `${line.name}/${t.id}`;
        const now = sideOfLine(line.from, line.to, t.footPoint);
        const before = last.get(key);
        last.set(key, now);
        if (!before || Math.sign(before.distance) === Math.sign(now.distance) || now.distance === 0) continue;
        const s = before.distance / (before.distance - now.distance);
        const along = before.along + s * (now.along - before.along);
        if (along < 0 || along > 1 || (oncePerId && counted.has(key))) continue;
        counted.add(key);
        counts[line.name][before.distance > 0 ? 'in' : 'out']++;
      }
    }
  }
  return counts;
}

const rules: Record<string, Counts> = {
  'line-counter': counter.totals(),
  'per-crossing': simple(false),
  'id-once': simple(true),
};
console.log(`frames ${frames[0]}-${frames[frames.length - 1]} of ${values.mot}`);
for (const [rule, counts] of Object.entries(rules)) {
  console.log(
    `${rule.padEnd(13)} ${Object.entries(counts)
      .map(([l, c]) => `${l}: ${c.in} in, ${c.out} out`)
      .join(' | ')}`,
  );
}
