// zone-monitor's threshold alerts as a notification for staff.
const a = msg.payload || {};
const what = { occupancy: 'people', queueLength: 'people queuing', waitSeconds: 's measured wait', estimatedWaitSeconds: 's expected wait' }[a.measure] || a.measure;
msg.topic = a.state === 'raised' ? 'Alert: ' + a.zone : 'Cleared: ' + a.zone;
msg.payload = a.cameraId + ', ' + a.zone + ': ' + (a.state === 'raised'
    ? 'more than ' + a.above + ' ' + what + ' for ' + a.forSeconds + ' s (now ' + Math.round(a.value) + ')'
    : 'back to ' + Math.round(a.value));
return msg;
