// The history node answers every flow query here: keep the export's answers (the History tab's
// reports pass by on the same link).
if (msg.topic !== 'history' || !msg.exportDate) return null;
if (msg.statusCode !== 200) {
    node.status({ fill: 'red', shape: 'dot', text: 'export failed: ' + String(msg.payload).trim() });
    node.error('history export of ' + msg.exportDate + ' failed: ' + String(msg.payload).trim(), msg);
    return null;
}
// HISTORY_EXPORT_DIR (a shared drive, say); else exports/ beside the history database (data/ in the
// Node-RED user directory), which the answer names.
const dir = env.get('HISTORY_EXPORT_DIR') || msg.historyDir + '/exports';
msg.filename = dir + '/history-' + msg.exportDate + '.csv';
node.status({ fill: 'green', shape: 'dot', text: 'history-' + msg.exportDate + '.csv at ' + new Date().toTimeString().slice(0, 5) });
return msg;
