// Node-RED settings for running this project's flow locally (`npm start`). See
// https://nodered.org/docs/user-guide/runtime/settings-file for every option.
const path = require('node:path');
const bcrypt = require('bcryptjs');
// Built by `npm run build`, which `npm start` runs first.
const { StoreLogin } = require('../dist/nodes/lib/http/store-login.js');
const { dashboardSocketGuard, sameOriginOnly } = require('../dist/nodes/lib/http/dashboard-socket-guard.js');

const port = Number(process.env.PORT || 1880);
const host = process.env.HOST || '127.0.0.1';
const loopback = ['127.0.0.1', '::1', 'localhost'].includes(host);

/**
 * A bcrypt hash from `<NAME>_HASH`, or made here from `<NAME>`. Both leave the environment: every
 * process Node-RED starts (ffmpeg for each camera) inherits it, and the plain password is not kept.
 */
function passwordHash(name) {
  const plain = process.env[name];
  const hash = process.env[`${name}_HASH`] || (plain ? bcrypt.hashSync(plain, 10) : null);
  delete process.env[name];
  delete process.env[`${name}_HASH`];
  return hash;
}

const adminHash = passwordHash('ADMIN_PASSWORD');
const storeHash = passwordHash('STORE_PASSWORD');
// One check for the store's pages, endpoints and streams and for the dashboard's live socket, which
// node-red-dashboard serves beside Node-RED's HTTP middleware: httpNodeAuth alone does not reach it.
const storeLogin = storeHash
  ? new StoreLogin(process.env.STORE_USER || 'store', (password) => bcrypt.compare(password, storeHash))
  : null;

// The editor can change and run anything on this machine: never open it to the network unprotected.
if (!loopback && !adminHash) {
  throw new Error(
    `HOST=${host} would open the Node-RED editor to the network without a password: ` +
      'set ADMIN_PASSWORD (or ADMIN_PASSWORD_HASH, a bcrypt hash) first, or leave HOST unset (loopback only)',
  );
}

if (!loopback && !storeHash) {
  console.warn(
    `WARNING: HOST=${host} opens the store page, the video, the statistics and the dashboard to everyone ` +
      'on the network without a login: set STORE_PASSWORD (or STORE_PASSWORD_HASH) to protect them.',
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
  httpNodeAuth: storeLogin ? storeLogin.httpMiddleware : undefined,
  // The dashboard's socket.io: the page's own origin only, the store login when one is set, and
  // nothing a browser sends can stop the runtime (a widget handler that throws is reported instead).
  ui: {
    ioMiddleware: [
      sameOriginOnly,
      ...(storeLogin ? [storeLogin.socketMiddleware] : []),
      dashboardSocketGuard({ report: (text) => console.warn(`[dashboard] ${text}`) }),
    ],
  },
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
