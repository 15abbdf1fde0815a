// Node-RED settings for running this project's flow locally (`npm start`). See
// https://nodered.org/docs/user-guide/runtime/settings-file for every option.
const path = require('node:path');

const port = Number(process.env.PORT || 1880);

module.exports = {
  uiPort: port,
  // Loopback only by default: the editor must not be reachable from the network without a
  // password. Set HOST=0.0.0.0 to listen on every interface (and protect the editor first).
  uiHost: process.env.HOST || '127.0.0.1',
  // The store page lives at '/', so the editor moves to /admin.
  httpAdminRoot: '/admin',
  httpNodeRoot: '/',
  flowFile: 'flows.json',
  flowFilePretty: true,
  // The flow reads CAMERA_URL; scripts/start-node-red.mjs points it at the demo clip when unset.
  userDir: process.env.NODE_RED_USER_DIR || path.join(__dirname, '..', '.node-red'),
  logging: { console: { level: process.env.LOG_LEVEL || 'info', metrics: false, audit: false } },
  editorTheme: { projects: { enabled: false }, tours: false },
  diagnostics: { enabled: false },
  runtimeState: { enabled: false },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  functionExternalModules: false,
};
