// The dashboard's numbers once a second (all cameras at once, so nothing flips between them), and
// the chart every 10 s (a tablet need not draw thousands of points): one line per camera. Runs on
// every analysed frame and on every camera status change, so a camera that goes down shows it even
// when no frame comes: its people in view become "–" and are not counted in the store's.
const now = Date.now();
if (now - (context.get('numbersAt') || 0) < 1000) return null;
context.set('numbersAt', now);
const s = msg.store || flow.get('statistics') || { cameras: {}, totals: null };
const status = flow.get('cameraStatus') || {};
const ids = Array.from(new Set(Object.keys(s.cameras).concat(Object.keys(status)))).sort();
const live = (c) => !!c && now - c.updatedAt <= 5000;
const cameras = ids.map((id) => {
    const c = s.cameras[id];
    return {
        camera: id,
        feed: '../overlay_feed/' + encodeURIComponent(id),
        people: live(c) ? c.peopleInView : '–',
        visitors: c ? c.uniquePeople : '–',
        activity: c ? c.totalActivity : '–',
        gaps: c ? (c.cameraGapSeconds > 0 ? c.cameraGap : 'none') : '–',
        status: status[id] || 'unknown',
    };
});
const known = Object.keys(s.cameras).map((id) => s.cameras[id]);
const sum = (pick) => known.reduce((total, c) => total + pick(c), 0);
const gaps = sum((c) => c.cameraGapSeconds);
const saved = flow.get('lastSavedAt');
let chart = null;
if (msg.store && now - (context.get('chartAt') || 0) >= 10000) {
    context.set('chartAt', now);
    chart = Object.keys(s.cameras).map((id) => ({ topic: id, payload: s.cameras[id].peopleInView }));
}
const feeds = {};
cameras.forEach((c) => { feeds[c.camera] = c.feed; });
return [
    { payload: { cameras, feeds } },
    { payload: known.some(live) ? sum((c) => (live(c) ? c.peopleInView : 0)) : '–' },
    { payload: sum((c) => c.uniquePeople) },
    { payload: s.totals ? s.totals.totalActivity : '–' },
    // Camera-time without frames, in words; summed over cameras, so it says over how many.
    { payload: gaps > 0 && s.totals ? s.totals.cameraGap + (s.totals.camerasWithGaps > 1 ? ' over ' + s.totals.camerasWithGaps + ' cameras' : '') : 'none' },
    { payload: saved ? new Date(saved).toLocaleTimeString() : 'not yet' },
    chart,
];
