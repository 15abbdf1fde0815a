// The history node's answer to "history/report": the History tab's charts and tables. Missing data
// (a camera off, an hour not yet come) is null, drawn as no bar: never as 0.
if (msg.topic !== 'history/report') return null; // other flows' queries share the link
if (msg.statusCode !== 200) {
    node.status({ fill: 'red', shape: 'dot', text: (msg.payload && msg.payload.error) || 'no report' });
    return null;
}
node.status({});
const r = msg.payload;
const two = (n) => String(n).padStart(2, '0');
const weekday = new Date(r.compareDate + 'T12:00:00').toLocaleDateString('en-GB', { weekday: 'long' });
const day = (d) => d.slice(8, 10) + '/' + d.slice(5, 7);
// The hours either day had data in (opening hours), first to last.
const open = r.hours.filter((h) => h.today.visitors !== null || h.compare.visitors !== null).map((h) => h.hour);
const hours = open.length ? r.hours.slice(Math.min(...open), Math.max(...open) + 1) : [];
const perHour = (pick) => [{
    series: ['today', 'last ' + weekday],
    data: [hours.map((h) => pick(h.today)), hours.map((h) => pick(h.compare))],
    labels: hours.map((h) => two(h.hour) + ':00'),
}];
const days = r.days.filter((d) => d.visitors !== null);
const daySeries = r.hasFootfall ? ['visitors', 'came in'] : ['visitors'];
const dayData = r.hasFootfall
    ? [r.days.map((d) => d.visitors), r.days.map((d) => d.footfallIn)]
    : [r.days.map((d) => d.visitors)];
const dwellDays = r.zoneDwell.filter((d) => r.zones.some((z) => d.dwellMeanSeconds[z] !== null));
return [
    { payload: r.hasFootfall ? perHour((c) => c.footfallIn) : [] },
    { payload: open.length ? perHour((c) => c.visitors) : [] },
    { payload: days.length ? [{ series: daySeries, data: dayData, labels: r.days.map((d) => day(d.date)) }] : [] },
    { payload: { hours: r.busiestHours.slice(0, 6).map((h) => Object.assign({ label: two(h.hour) + ':00-' + two((h.hour + 1) % 24) + ':00' }, h)), days: days.length, footfall: r.hasFootfall } },
    { payload: dwellDays.length ? [{
        series: r.zones,
        data: r.zones.map((z) => dwellDays.map((d) => d.dwellMeanSeconds[z])),
        labels: dwellDays.map((d) => day(d.date)),
    }] : [] },
    { payload: { cameras: r.cameras, date: r.date, compareDate: r.compareDate, from: r.days[0].date, to: r.date, at: Date.now() } },
];
