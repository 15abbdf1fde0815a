// heatmap-store wrote (or failed to write): remember when, for "Last save" and /statistics's
// lastSavedAt (the store answers a save asked over HTTP itself, on its own output).
// Its restore at start (today's saved day, sent back to the heatmap) says when the day was saved
// before the restart: that is the last save until the next one.
if (msg.topic === 'restore') {
    const at = (Array.isArray(msg.payload) ? msg.payload : [])
        .reduce((latest, s) => Math.max(latest, (s && s.meta && s.meta.savedAt) || 0), 0);
    if (at > (flow.get('lastSavedAt') || 0)) flow.set('lastSavedAt', at);
    return null;
}
const p = msg.payload || {};
if (!p.error) flow.set('lastSavedAt', p.savedAt);
return null;
