// GET or POST /reset_heatmap and /save_heatmap. ?camera=camera-2 (or a comma-separated list) names
// the cameras; without it, every camera. An unknown camera gets 404. STATE_CHANGES_POST_ONLY=true
// refuses GET, so that a link, a crawler or a prefetching browser cannot reset the day.
const reset = msg.req.path.indexOf('/reset') >= 0;
if (msg.req.method === 'GET' && env.get('STATE_CHANGES_POST_ONLY') === 'true') {
    msg.statusCode = 405;
    msg.headers = { allow: 'POST' };
    msg.payload = { error: 'use POST for ' + msg.req.path };
    return [null, null, msg];
}
const asked = String((msg.req.query && msg.req.query.camera) || '')
    .split(',').map((id) => id.trim()).filter((id) => id !== '');
const known = Array.from(new Set(Object.keys((flow.get('statistics') || {}).cameras || {})
    .concat(Object.keys(flow.get('cameraStatus') || {})))).sort();
const unknown = asked.filter((id) => !known.includes(id));
if (unknown.length > 0) {
    msg.statusCode = 404;
    msg.payload = { error: 'no camera ' + unknown.join(', ') + ' (cameras: ' + (known.join(', ') || 'none yet') + ')' };
    return [null, null, msg];
}
msg.topic = reset ? 'reset' : 'save';
if (asked.length > 0) msg.cameras = asked;
else delete msg.cameras;
delete msg.payload;
return reset ? [msg, null, null] : [null, msg, null];
