// The demo clip's lines and zones (media/vtest.avi, in fractions of the frame) and an alert rule, for
// "count at the lines" (it takes the lines) and "zones and queues" (the zones and msg.rules). Set by
// message they last until the next deploy; the inject sends them again at each one. Only while the
// flow plays the demo clip (CAMERA_URL unset, or npm start's default, the clip): with a camera
// (CAMERA_URL or CAMERA_URLS naming it) draw its lines and zones in those two nodes.
const url = env.get('CAMERA_URL') || '';
if (env.get('CAMERA_URLS') || (url && !/vtest\.avi$/.test(url))) {
    node.status({ fill: 'grey', shape: 'ring', text: 'a camera is set: draw its lines in "count at the lines"' });
    return null;
}
node.status({ fill: 'green', shape: 'dot', text: 'demo clip: 2 lines, 2 zones, 1 alert rule set' });
return {
    topic: 'areas',
    payload: {
        lines: [
            {"name":"middle","from":[0.5,0.2604],"to":[0.5,0.9722]},
            {"name":"road","from":[0.7292,0.5729],"to":[0.9896,0.5729]},
        ],
        zones: [
            {"name":"left","polygon":[[0,0.2951],[0.3906,0.3212],[0.3906,0.4861],[0,0.4427]]},
            {"name":"centre","queue":true,"polygon":[[0.3906,0.3212],[0.7292,0.2865],[0.7943,0.5729],[0.4297,0.5208]]},
        ],
    },
    rules: [{"zone":"centre","measure":"occupancy","above":3,"forSeconds":10}],
};
