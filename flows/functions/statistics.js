// GET /statistics: every camera's numbers and the store's totals, as JSON (or an HTML table for a
// browser, unless ?format=json). With one camera the camera's numbers are the top level.
// Footfall and zones (when the flow counts them) sit with each camera's numbers.
const s = flow.get('statistics') || { cameras: {}, totals: null };
const status = flow.get('cameraStatus') || {};
const counting = flow.get('counting') || {};
const lastSavedAt = flow.get('lastSavedAt') || null;
const ids = Array.from(new Set(Object.keys(s.cameras).concat(Object.keys(status)))).sort();
const one = (id) => Object.assign(
    s.cameras[id] ? {} : { camera: id, waiting: 'no frame analysed yet' },
    s.cameras[id] || {},
    counting[id] || {},
    { cameraStatus: status[id] || 'unknown' },
);
const counted = ids.map((id) => (counting[id] || {}).footfall).filter((f) => f);
const storeTotals = counted.length === 0 ? s.totals : Object.assign({}, s.totals, {
    footfall: {
        in: counted.reduce((n, f) => n + f.in, 0),
        out: counted.reduce((n, f) => n + f.out, 0),
        occupancy: counted.reduce((n, f) => n + (f.occupancy || 0), 0),
    },
});
let body;
if (ids.length === 0) body = { camera: null, waiting: 'no frame analysed yet', cameraStatus: 'unknown', lastSavedAt };
else if (ids.length === 1 && s.cameras[ids[0]]) body = Object.assign(one(ids[0]), { lastSavedAt });
else if (ids.length === 1) body = Object.assign(one(ids[0]), { camera: null, lastSavedAt });
else {
    const cameras = {};
    ids.forEach((id) => { cameras[id] = one(id); });
    body = { cameras, store: storeTotals, lastSavedAt };
}
const accept = (msg.req.headers && msg.req.headers.accept) || '';
if (accept.includes('text/html') && msg.req.query.format !== 'json') {
    const rows = [];
    const add = (prefix, o) => Object.keys(o).forEach((k) => {
        const v = o[k];
        if (v && typeof v === 'object') add(prefix + k + '.', v);
        else rows.push({ name: prefix + k, value: typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v) });
    });
    add('', body);
    msg.rows = rows;
    return [null, msg];
}
msg.payload = body;
msg.headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
return [msg, null];
