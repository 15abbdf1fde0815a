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
