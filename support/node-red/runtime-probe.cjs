// Preloaded into a Node-RED process under test (NODE_OPTIONS="--require <this file>") with
// RUNTIME_PROBE_PORT set: answers GET http://127.0.0.1:<port>/ with what only the process itself can
// see - its active handles and timers, memory after a full GC, the HTTP routes Node-RED serves - so the
// fault suite can tell a leak from a process that merely looks fine from outside. POST /abort makes
// it abort as a native crash would. Test use only.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script */
const http = require('node:http');
const path = require('node:path');

const port = Number(process.env.RUNTIME_PROBE_PORT);
// start-node-red.mjs passes the environment on to Node-RED: only the runtime itself (red.js) answers.
if (port && path.basename(process.argv[1] || '') === 'red.js') {
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/abort') {
      // A native abort, as a C++ exception no one catches ends the process (node-red-dashboard's
      // "terminate called after throwing an instance of 'Napi::Error'"): the C++ runtime's last words
      // on stderr, then abort(), which raises SIGABRT in the process; no JavaScript cleanup runs.
      // (process.abort() would add Node's own stack dump, which a C++ terminate does not print.)
      process.stderr.write(
        "terminate called after throwing an instance of 'Napi::Error'\n  what():  runtime probe: abort on request\n",
      );
      process.kill(process.pid, 'SIGABRT');
      return;
    }
    if (typeof global.gc === 'function') global.gc();
    const resources = {};
    for (const name of process.getActiveResourcesInfo()) resources[name] = (resources[name] || 0) + 1;
    const memory = process.memoryUsage();
    const body = {
      pid: process.pid,
      // The probe's own server and this request are not the runtime's.
      resources,
      rssMb: memory.rss / 2 ** 20,
      heapUsedMb: memory.heapUsed / 2 ** 20,
      externalMb: memory.external / 2 ** 20,
      routes: nodeRoutes(),
      // Listeners on the process object (exit, signals, uncaught errors): a node adding one per
      // deploy without removing it leaks.
      processListeners: process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0),
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}

/** Method and path of every route on Node-RED's httpNode app (http-in nodes, mjpeg-out, dashboard). */
function nodeRoutes() {
  let red;
  try {
    // The very module red.js started (same file, so the same instance from the module cache).
    red = require(path.join(path.dirname(process.argv[1]), 'lib', 'red.js'));
  } catch {
    return null;
  }
  const stack = (red.httpNode && red.httpNode._router && red.httpNode._router.stack) || [];
  return stack
    .filter((layer) => layer.route)
    .map((layer) => `${Object.keys(layer.route.methods).join(',').toUpperCase()} ${layer.route.path}`);
}
