// Node-RED settings for running this project's flow locally (`npm start`). See
// https://nodered.org/docs/user-guide/runtime/settings-file for every option.
const path = require('node:path');
const bcrypt = require('bcryptjs');

const port = Number(process.env.PORT || 1880);
const host = process.env.HOST || '127.0.0.1';
const loopback = ['127.0.0.1', '::1', 'localhost'].includes(host);

/** A bcrypt hash from `<NAME>_HASH`, or made here from `<NAME>` (the plain password is not kept). */
function passwordHash(name) {
  if (process.env[`${name}_HASH`]) return process.env[`${name}_HASH`];
  return process.env[name] ? bcrypt.hashSync(process.env[name], 10) : null;
}

const adminHash = passwordHash('ADMIN_PASSWORD');
const storeHash = passwordHash('STORE_PASSWORD');

// The editor can change and run anything on this machine: never open it to the network unprotected.
if (!loopback && !adminHash) {
  throw new Error(
    `HOST=${host} would open the Node-RED editor to the network without a password: ` +
      'set ADMIN_PASSWORD (or ADMIN_PASSWORD_HASH, a bcrypt hash) first, or leave HOST unset (loopback only)',
  );
}

module.exports = {
  uiPort: port,
  // Loopback only by default; another interface needs ADMIN_PASSWORD (above).
  uiHost: host,
  // The store page lives at '/', so the editor moves to /admin.
  httpAdminRoot: '/admin',
  httpNodeRoot: '/',
  // Editor and admin API login (user ADMIN_USER, default "admin") when ADMIN_PASSWORD is set.
  adminAuth: adminHash
    ? {
        type: 'credentials',
        users: [{ username: process.env.ADMIN_USER || 'admin', password: adminHash, permissions: '*' }],
      }
    : undefined,
  // Store page, endpoints, video streams and the dashboard behind HTTP basic auth (user STORE_USER,
  // default "store") when STORE_PASSWORD is set.
  httpNodeAuth: storeHash ? { user: process.env.STORE_USER || 'store', pass: storeHash } : undefined,
  flowFile: 'flows.json',
  // Key for the credentials file (camera passwords). Without it Node-RED makes one and keeps it in
  // .config.runtime.json beside the file it protects; from the environment it is not on disk at all.
  credentialSecret: process.env.CREDENTIAL_SECRET || undefined,
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
