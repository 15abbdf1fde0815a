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
