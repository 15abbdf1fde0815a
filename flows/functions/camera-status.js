// rtsp-in's status ("camera-1: streaming 10.0 fps", "camera-2: ... reconnecting in 5 s") per camera,
// for the dashboard and /statistics; a removed camera's node clears its status, and its entry goes.
// Sends the dashboard's "Camera" line at each change, so it tells the truth while no frame comes.
if (!msg.status.source || msg.status.source.type !== 'rtsp-in') return null;
const all = flow.get('cameraStatus') || {};
const byNode = flow.get('cameraStatusNodes') || {};
const source = msg.status.source.id;
const m = /^(.+?): (.*)$/.exec(msg.status.text || '');
if (byNode[source] !== undefined && (!m || m[1] !== byNode[source])) delete all[byNode[source]];
if (m) {
    all[m[1]] = m[2];
    byNode[source] = m[1];
} else delete byNode[source];
flow.set('cameraStatus', all);
flow.set('cameraStatusNodes', byNode);
const ids = Object.keys(all).sort();
const streaming = ids.filter((id) => /^streaming/.test(all[id])).length;
const text = ids.length === 1 ? all[ids[0]] : streaming + ' of ' + ids.length + ' streaming';
if (text === context.get('sent')) return null;
context.set('sent', text);
return { payload: text || 'no camera' };
