/**
 * Where example 03 counts on the demo clip: its lines, zones and alert rule (the offline runner's
 * bench/areas/vtest-areas.json holds the same areas). The function that sends them is
 * flows/functions/demo-areas.js; the counting group is flows/groups/counting.ts.
 */
import { functionCode } from './builder/assets';

/** The demo clip's frame (media/vtest.avi); the example's areas are drawn on it. */
const CLIP = { width: 768, height: 576 };
const fraction = ([x, y]: [number, number]): [number, number] => [
  Number((x / CLIP.width).toFixed(4)),
  Number((y / CLIP.height).toFixed(4)),
];

/**
 * Where the example counts on the demo clip, in the clip's pixels (the same as
 * bench/areas/vtest-areas.json for the offline runner): a line down the middle of the plaza and one
 * across the road on the right; the left of the road, and its centre marked as a queue so the queue
 * numbers show (on a store camera: the till queue).
 */
export const DEMO_AREAS = {
  lines: [
    { name: 'middle', from: [384, 150], to: [384, 560] },
    { name: 'road', from: [560, 330], to: [760, 330] },
  ] as Array<{ name: string; from: [number, number]; to: [number, number] }>,
  zones: [
    {
      name: 'left',
      polygon: [
        [0, 170],
        [300, 185],
        [300, 280],
        [0, 255],
      ],
    },
    {
      name: 'centre',
      queue: true,
      polygon: [
        [300, 185],
        [560, 165],
        [610, 330],
        [330, 300],
      ],
    },
  ] as Array<{ name: string; queue?: boolean; polygon: Array<[number, number]> }>,
};

/** The example's areas as the nodes store them: fractions of the frame. */
export function demoAreasAsFractions(): { lines: string; zones: string } {
  return {
    lines: JSON.stringify(
      DEMO_AREAS.lines.map((l) => ({ ...l, from: fraction(l.from), to: fraction(l.to) })),
    ),
    zones: JSON.stringify(DEMO_AREAS.zones.map((z) => ({ ...z, polygon: z.polygon.map(fraction) }))),
  };
}

/** Example 03's alert: more than 3 people in the centre zone for 10 s. */
export const DEMO_RULES = [{ zone: 'centre', measure: 'occupancy', above: 3, forSeconds: 10 }];

/**
 * Example 03's function (flows/functions/demo-areas.js): the demo clip's lines, zones and alert rule for
 * the default flow's counting nodes, by message (line-counter takes the lines, zone-monitor the zones and
 * msg.rules), only while the flow plays the demo clip (no camera URL in the environment). The areas are
 * written out there (as demoAreasAsFractions() and DEMO_RULES give them; a test holds them equal).
 */
export function demoAreasCode(): string {
  return functionCode('demo-areas');
}
