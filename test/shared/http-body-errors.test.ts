import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { NodeAPI } from 'node-red';
import mjpegOutNode from '../../nodes/mjpeg-out/mjpeg-out';
import { helper, loadFlow } from '../../support/node-red/test-helper';

// Node-RED's own http in and http response nodes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpInNodes = require('@node-red/nodes/core/network/21-httpin.js') as (RED: NodeAPI) => void;

/** POST /save_heatmap answered by an http response node, as in the shipped flow. */
const FLOW = [
  { id: 'in', type: 'http in', url: '/save_heatmap', method: 'post', upload: false, wires: [['out']] },
  { id: 'out', type: 'http response', statusCode: '', headers: {} },
];

const form = (fields: number) => Array.from({ length: fields }, (_, i) => `f${i}=1`).join('&');

describe("Node-RED's http in node with this package installed", function () {
  this.timeout(30000);
  // The test helper does not serve RED.httpNode, so a real HTTP server serves it here.
  let httpNode: RequestListener | null = null;
  let server: http.Server;
  let url = '';
  const withHttp = (module: (RED: NodeAPI) => void) => (RED: NodeAPI) => {
    httpNode = RED.httpNode as unknown as RequestListener;
    module(RED);
  };
  const post = (body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(`${url}/save_heatmap`, { method: 'POST', headers: { 'content-type': type }, body });
  const big = 'a'.repeat(6 * 1048576);

  before(async () => {
    await helper.startServer();
    server = http.createServer((req, res) => (httpNode ? httpNode(req, res) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await helper.stopServer();
  });
  afterEach(() => helper.unload());

  it('answers a 6 MB body with 500 by itself (what this package mends)', async () => {
    await loadFlow(withHttp(httpInNodes), FLOW);
    assert.equal((await post(big)).status, 500);
  });

  it('answers a body too large and a form of more than 1000 fields with 413 and the reason', async () => {
    await loadFlow([withHttp(httpInNodes), mjpegOutNode], FLOW);
    const tooLarge = await post(big);
    assert.equal(tooLarge.status, 413);
    assert.equal(await tooLarge.text(), 'request body too large (6 MB): this endpoint takes at most 5 MB\n');
    assert.equal((await post(big, 'application/json')).status, 413);
    const fields = await post(form(1001));
    assert.equal(fields.status, 413);
    assert.match(await fields.text(), /too many form fields/);
    const broken = await post('{"camera": ', 'application/json');
    assert.equal(broken.status, 400);
    // Within the limits the flow answers as before.
    assert.equal((await post(form(10))).status, 200);
    assert.equal((await post('')).status, 200);
  });

  it('answers so after a redeploy too (the new routes)', async () => {
    await loadFlow([withHttp(httpInNodes), mjpegOutNode], FLOW);
    await helper.setFlows(
      FLOW.map((n) => (n.id === 'in' ? { ...n, name: 'changed' } : n)),
      'nodes',
    );
    assert.equal((await post(big)).status, 413);
  });
});
