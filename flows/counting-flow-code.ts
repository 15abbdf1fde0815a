/**
 * The code and markup of the counting part of the shipped flows (their counting group and example
 * 03): function bodies and the dashboard's zone table, kept apart from the layout in
 * store-analytics-flow.ts.
 */

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
 * Example 03's function: the demo clip's lines, zones and alert rule for the default flow's counting
 * nodes, by message (line-counter takes the lines, zone-monitor the zones and msg.rules), only while the
 * flow plays the demo clip (no camera URL in the environment).
 */
export function demoAreasCode(): string {
  const { lines, zones } = demoAreasAsFractions();
  const list = (json: string) =>
    `[\n${(JSON.parse(json) as unknown[]).map((a) => `            ${JSON.stringify(a)},`).join('\n')}\n        ]`;
  return `
// The demo clip's lines and zones (media/vtest.avi, in fractions of the frame) and an alert rule, for
// "count at the lines" (it takes the lines) and "zones and queues" (the zones and msg.rules). Set by
// message they last until the next deploy; the inject sends them again at each one. Only while the
// flow plays the demo clip (CAMERA_URL unset, or npm start's default, the clip): with a camera
// (CAMERA_URL or CAMERA_URLS naming it) draw its lines and zones in those two nodes.
const url = env.get('CAMERA_URL') || '';
if (env.get('CAMERA_URLS') || (url && !/vtest\\.avi$/.test(url))) {
    node.status({ fill: 'grey', shape: 'ring', text: 'a camera is set: draw its lines in "count at the lines"' });
    return null;
}
node.status({ fill: 'green', shape: 'dot', text: 'demo clip: 2 lines, 2 zones, 1 alert rule set' });
return {
    topic: 'areas',
    payload: {
        lines: ${list(lines)},
        zones: ${list(zones)},
    },
    rules: ${JSON.stringify(DEMO_RULES)},
};
`;
}

export const KEEP_COUNTING = `
// Each camera's latest footfall (line-counter) and zones (zone-monitor), for /statistics, the store
// page and the dashboard. A camera the counting nodes do not count has neither.
const id = (msg.footfall && msg.footfall.cameraId) || (msg.zones && msg.zones.cameraId);
if (!id) return null;
const all = flow.get('counting') || {};
const before = all[id] || {};
all[id] = {
    footfall: msg.footfall || before.footfall,
    zones: msg.zones ? msg.zones.zones : before.zones,
};
flow.set('counting', all);
return null;
`;

export const DASHBOARD_COUNTING = `
// Footfall and zones on the dashboard, all cameras together, once a second; the chart of footfall
// per hour today every 10 s (whole hours 0 to now, in and out).
const now = Date.now();
if (now - (context.get('at') || 0) < 1000) return null;
context.set('at', now);
const all = flow.get('counting') || {};
const ids = Object.keys(all).sort();
if (ids.length === 0) return null;
const dwell = (s) => s === null || s === undefined ? '–' : s < 60 ? Math.round(s) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
let comeIn = 0, goOut = 0, inside = 0, counted = false;
const hourlyIn = new Array(24).fill(0), hourlyOut = new Array(24).fill(0);
const rows = [];
ids.forEach((id) => {
    const f = all[id].footfall;
    if (f) {
        counted = true;
        comeIn += f.in;
        goOut += f.out;
        inside += f.occupancy || 0;
        f.hourly.in.forEach((n, h) => { hourlyIn[h] += n; });
        f.hourly.out.forEach((n, h) => { hourlyOut[h] += n; });
    }
    const zones = all[id].zones || {};
    Object.keys(zones).forEach((name) => {
        const z = zones[name];
        rows.push({
            camera: id,
            zone: name,
            people: z.occupancy,
            visits: z.visits,
            dwell: dwell(z.medianDwellSeconds),
            queue: z.queue ? z.queue.length : '',
            wait: z.queue ? dwell(z.queue.estimatedWaitSeconds) : '',
        });
    });
});
let chart = null;
if (now - (context.get('chartAt') || 0) >= 10000) {
    context.set('chartAt', now);
    const hour = new Date().getHours();
    const labels = [];
    for (let h = 0; h <= hour; h++) labels.push(String(h).padStart(2, '0') + ':00');
    chart = { payload: [{ series: ['in', 'out'], labels, data: [hourlyIn.slice(0, hour + 1), hourlyOut.slice(0, hour + 1)] }] };
}
return [
    { payload: counted ? comeIn : '–' },
    { payload: counted ? goOut : '–' },
    { payload: counted ? inside : '–' },
    { payload: { rows, cameras: ids.length } },
    chart,
];
`;

export const DASHBOARD_ZONES = `
<table style="width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums">
  <tr style="text-align:left;opacity:.7"><th ng-if="msg.payload.cameras > 1">Camera</th><th>Zone</th><th>Now</th><th>Visits</th><th>Stay</th><th>Queue</th><th>Wait</th></tr>
  <tr ng-repeat="z in msg.payload.rows"><td ng-if="msg.payload.cameras > 1">{{z.camera}}</td><td>{{z.zone}}</td><td>{{z.people}}</td><td>{{z.visits}}</td><td>{{z.dwell}}</td><td>{{z.queue}}</td><td>{{z.wait}}</td></tr>
  <tr ng-if="!msg.payload.rows.length"><td colspan="7" style="opacity:.7">no zones drawn</td></tr>
</table>
<p style="opacity:.7;font-size:.85em;margin:4px 0 0">Stay: median today. Wait: expected for someone joining the queue now.</p>
`;

export const ALERT_TEXT = `
// zone-monitor's threshold alerts as a notification for staff.
const a = msg.payload || {};
const what = { occupancy: 'people', queueLength: 'people queuing', waitSeconds: 's measured wait', estimatedWaitSeconds: 's expected wait' }[a.measure] || a.measure;
msg.topic = a.state === 'raised' ? 'Alert: ' + a.zone : 'Cleared: ' + a.zone;
msg.payload = a.cameraId + ', ' + a.zone + ': ' + (a.state === 'raised'
    ? 'more than ' + a.above + ' ' + what + ' for ' + a.forSeconds + ' s (now ' + Math.round(a.value) + ')'
    : 'back to ' + Math.round(a.value));
return msg;
`;
