import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import {
  DashboardSocket,
  malformedDashboardPackets,
  sendEachPacket,
} from '../../support/node-red/dashboard-socket';
import { projectRoot } from '../../support/assets';
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/node-red/editor';
import { NodeRedProcess } from '../../support/node-red/node-red-process';
import { freePort, sleep, waitFor } from '../../support/processes';
import type { StatisticsAnswer } from '../../support/node-red/statistics-answer';

const CREDENTIAL_KEY = 'a key from the environment';

/** Logins and the POST-only switch, in a real Node-RED started like `npm start`. */
describe('protecting the store page, streams, dashboard and editor (npm start settings)', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  const store = 'Basic ' + Buffer.from('store:shop-secret').toString('base64');

  let probePort: number;

  before(async () => {
    probePort = await freePort();
    red = await NodeRedProcess.start({
      STORE_PASSWORD: 'shop-secret',
      ADMIN_PASSWORD: 'admin-secret',
      STATE_CHANGES_POST_ONLY: 'true',
      CREDENTIAL_SECRET: CREDENTIAL_KEY,
      // The runtime probe lists the HTTP routes the flow serves (support/node-red/runtime-probe.cjs).
      RUNTIME_PROBE_PORT: String(probePort),
      NODE_OPTIONS: `--require ${path.join(projectRoot, 'support', 'node-red', 'runtime-probe.cjs')}`,
    });
  });
  after(async () => {
    await red?.stop();
  });

  /** The camera's visitors today, from /statistics with the store login. */
  async function visitors(): Promise<number> {
    const answer = await fetch(`${red.url}/statistics`, { headers: { Authorization: store } });
    return ((await answer.json()) as StatisticsAnswer).uniquePeople ?? 0;
  }

  it('asks for the store login on the page, endpoints, video streams and dashboard', async () => {
    for (const path of ['/', '/statistics', '/video_feed', '/overlay_feed', '/ui/', '/save_heatmap']) {
      const anonymous = await fetch(`${red.url}${path}`);
      assert.equal(anonymous.status, 401, `${path} without a login`);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /Basic/);
      const wrong = await fetch(`${red.url}${path}`, {
        headers: { Authorization: 'Basic ' + Buffer.from('store:guess').toString('base64') },
      });
      assert.equal(wrong.status, 401, `${path} with a wrong password`);
    }
    const page = await fetch(`${red.url}/statistics`, { headers: { Authorization: store } });
    assert.equal(page.status, 200);
  });

  it('asks for the store login on every route the running flow serves, as an outsider finds them', async () => {
    const report = (await (await fetch(`http://127.0.0.1:${probePort}/`)).json()) as {
      routes: string[] | null;
    };
    const routes = report.routes ?? [];
    assert.ok(routes.length >= 8, `the flow's routes: ${routes.join(', ')}`);
    for (const route of routes) {
      const [methods, routePath] = route.split(' ');
      const url = red.url + routePath.replace(/:[A-Za-z]+\??/g, 'camera-1');
      for (const method of methods.split(',')) {
        const answer = await fetch(url, { method });
        assert.equal(answer.status, 401, `${method} ${routePath} without a login`);
        await answer.body?.cancel();
      }
    }
  });

  it('keeps the dashboard\u2019s live socket closed without the store login: nothing but a refusal', async () => {
    const wrong = 'Basic ' + Buffer.from('store:guess').toString('base64');
    for (const authorization of [undefined, wrong]) {
      const socket = await DashboardSocket.open(red.url, { authorization });
      const answer = (await socket.connect()).join('\n');
      assert.match(
        answer,
        /^44\{"message":"the store login is required"\}$/,
        `joining ${authorization ?? 'anonymously'}`,
      );
      // An event sent anyway reaches no widget: the day is not reset, and no figure comes back.
      const visitorsBefore = await waitFor(async () => (await visitors()) || null, 30000, 'visitors');
      await socket.send(
        DashboardSocket.event('update-value', { id: 'sa-ui-confirm', value: { msg: { payload: 'Reset' } } }),
      );
      await sleep(500);
      assert.ok((await visitors()) >= visitorsBefore, 'the day was not reset');
    }
  });

  it('refuses the socket over WebSocket without the login, and to a page of another site with it', async () => {
    const wsUrl = `${red.url.replace('http', 'ws')}/ui/socket.io/?EIO=4&transport=websocket`;
    const firstPackets = (headers: Record<string, string>) =>
      new Promise<string[]>((resolve, reject) => {
        const ws = new WebSocket(wsUrl, { headers });
        const packets: string[] = [];
        ws.on('message', (data) => {
          const text = data.toString();
          packets.push(text);
          if (text.startsWith('0')) ws.send('40');
          if (text.startsWith('4')) ws.close();
        });
        ws.on('close', () => resolve(packets));
        ws.on('error', reject);
        setTimeout(() => ws.close(), 5000);
      });
    const anonymous = await firstPackets({});
    assert.deepEqual(anonymous.slice(1), ['44{"message":"the store login is required"}']);
    const foreign = await firstPackets({ Authorization: store, Origin: 'http://shop-wifi.example' });
    assert.deepEqual(foreign.slice(1), ['44{"message":"a connection from another site is refused"}']);
    const sameSite = await firstPackets({ Authorization: store, Origin: red.url });
    assert.match(sameSite[1] ?? '', /^40\{"sid"/, 'the store login from the page itself joins');
  });

  it('lets the store login use the socket, and nothing sent through it stops the runtime', async function () {
    this.timeout(180000);
    const joined = await DashboardSocket.open(red.url, { authorization: store });
    const first = (await joined.connect()).join('\n');
    assert.match(first, /^40\{"sid"/);
    const flow = JSON.parse(
      readFileSync(path.join(projectRoot, 'flows', 'store-analytics.json'), 'utf8'),
    ) as Array<{
      id: string;
      type: string;
    }>;
    const configs = ['ui_base', 'ui_tab', 'ui_group'];
    const widgets = flow
      .filter((n) => n.type.startsWith('ui_') && !configs.includes(n.type))
      .map((n) => n.id);
    assert.ok(widgets.includes('sa-ui-confirm') && widgets.includes('sa-ui-save'), 'the flow\u2019s widgets');
    const packets = malformedDashboardPackets(widgets);
    await sendEachPacket(red.url, { authorization: store }, packets);
    await sleep(2000);
    assert.equal(
      red.child.exitCode,
      null,
      `Node-RED still running after ${packets.length} malformed packets`,
    );
    assert.equal((await fetch(`${red.url}/statistics`, { headers: { Authorization: store } })).status, 200);
    const again = await DashboardSocket.open(red.url, { authorization: store });
    assert.match((await again.connect()).join('\n'), /ui-controls/, 'a new dashboard still gets its layout');
    assert.match(
      red.output,
      /\[dashboard\] dashboard socket .*(dropped|failed and was dropped)/,
      'reported in the log',
    );
  });

  it('shows the dashboard\u2019s live numbers in Chromium with the store login (the socket lets it in)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({
        httpCredentials: { username: 'store', password: 'shop-secret' },
      });
      const page = await context.newPage();
      await page.goto(`${red.url}/ui/`);
      await waitFor(
        async () => {
          const text = await page.locator('md-card', { hasText: 'Visitors today' }).first().innerText();
          return Number(text.replace('Visitors today', '').trim()) > 0;
        },
        30000,
        'visitors on the dashboard',
      );
    } finally {
      await browser.close();
    }
  });

  it('lets state change only by POST when STATE_CHANGES_POST_ONLY is set', async () => {
    for (const path of ['/reset_heatmap', '/save_heatmap']) {
      const get = await fetch(`${red.url}${path}`, { headers: { Authorization: store } });
      assert.equal(get.status, 405, `GET ${path}`);
      assert.equal(get.headers.get('allow'), 'POST');
      const post = await fetch(`${red.url}${path}`, { method: 'POST', headers: { Authorization: store } });
      assert.equal(post.status, 200, `POST ${path}`);
    }
  });

  /** A token for the admin API, from the admin login (as the editor gets one). */
  async function adminToken(): Promise<string> {
    const token = await fetch(`${red.url}/admin/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'node-red-admin',
        grant_type: 'password',
        scope: '*',
        username: 'admin',
        password: 'admin-secret',
      }),
    });
    assert.equal(token.status, 200);
    return ((await token.json()) as { access_token: string }).access_token;
  }

  it('asks for the admin login in the editor API, which the store login does not open', async () => {
    assert.equal((await fetch(`${red.url}/admin/flows`)).status, 401);
    assert.equal((await fetch(`${red.url}/admin/flows`, { headers: { Authorization: store } })).status, 401);
    const flows = await fetch(`${red.url}/admin/flows`, {
      headers: { Authorization: `Bearer ${await adminToken()}` },
    });
    assert.equal(flows.status, 200);
  });

  it('serves the camera picture for the drawing dialogs only with the admin login', async () => {
    const frame = `${red.url}/admin/store-analytics/frame/sa-camera`;
    assert.equal((await fetch(frame)).status, 401);
    assert.equal((await fetch(frame, { headers: { Authorization: store } })).status, 401);
    const auth = { Authorization: `Bearer ${await adminToken()}` };
    const answer = await waitFor(
      async () => {
        const r = await fetch(frame, { headers: auth });
        return r.status === 200 ? r : null;
      },
      20000,
      'the camera picture with the admin login',
    );
    assert.equal(answer.headers.get('content-type'), 'image/jpeg');
  });

  it('keeps camera passwords encrypted with CREDENTIAL_SECRET, a key stored nowhere on disk', async () => {
    const auth = { Authorization: `Bearer ${await adminToken()}`, 'Node-RED-API-Version': 'v1' };
    const flows = (await (await fetch(`${red.url}/admin/flows`, { headers: auth })).json()) as Array<
      Record<string, unknown>
    >;
    const camera = flows.find((n) => n.type === 'rtsp-in')!;
    camera.credentials = { user: 'till', password: 'Cam-Pa55-word' };
    const deploy = await fetch(`${red.url}/admin/flows`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    assert.ok(deploy.status === 200 || deploy.status === 204, `deploy answered ${deploy.status}`);
    const exported = await (await fetch(`${red.url}/admin/flows`, { headers: auth })).text();
    assert.ok(!exported.includes('Cam-Pa55-word'), 'not in the flow export');

    const file = await waitFor(
      () => {
        const text = readFileSync(path.join(red.userDir, 'flows_cred.json'), 'utf8');
        return text.includes('"$"') ? text : null;
      },
      5000,
      'the credentials file',
    );
    assert.ok(!file.includes('Cam-Pa55-word'), 'not in the credentials file as text');
    // Node-RED's format: AES-256-CTR, key = SHA-256 of the secret, IV in the first 32 hex digits.
    const sealed = (JSON.parse(file) as { $: string }).$;
    const key = createHash('sha256').update(CREDENTIAL_KEY).digest();
    const decipher = createDecipheriv('aes-256-ctr', key, Buffer.from(sealed.slice(0, 32), 'hex'));
    const opened = decipher.update(sealed.slice(32), 'base64', 'utf8') + decipher.final('utf8');
    assert.equal(
      (JSON.parse(opened) as Record<string, { password: string }>)[String(camera.id)].password,
      'Cam-Pa55-word',
    );
    const runtimeConfig = path.join(red.userDir, '.config.runtime.json');
    const stored = existsSync(runtimeConfig) ? readFileSync(runtimeConfig, 'utf8') : '';
    assert.ok(!stored.includes('_credentialSecret'), 'no key of its own beside the file');
  });

  it('keeps both passwords out of the environment of Node-RED and of the ffmpeg it runs', async () => {
    const runtime = red.runtimePid();
    assert.ok(runtime, 'the Node-RED runtime');
    // The deploy with camera credentials above restarts the camera: wait for its ffmpeg.
    const ffmpeg = await waitFor(
      () => {
        const pids = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' })
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .filter(([, ppid, comm]) => Number(ppid) === runtime && comm === 'ffmpeg')
          .map(([pid]) => Number(pid));
        return pids.length > 0 ? pids : null;
      },
      20000,
      'the camera\u2019s ffmpeg',
    );
    for (const pid of [runtime, ...ffmpeg]) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      assert.ok(!environ.includes('shop-secret') && !environ.includes('admin-secret'), `process ${pid}`);
      assert.ok(!/^(ADMIN|STORE)_PASSWORD=/m.test(environ.replace(/\0/g, '\n')), `process ${pid}`);
    }
  });

  it('warns at start that the store data is open when HOST is not loopback and STORE_PASSWORD is unset', async () => {
    const open = await NodeRedProcess.start({ HOST: '127.0.0.2', ADMIN_PASSWORD: 'admin-secret' });
    try {
      assert.match(
        open.output,
        /WARNING: HOST=127\.0\.0\.2 opens the store page.*without a login: set STORE_PASSWORD/,
      );
    } finally {
      await open.stop();
    }
  });

  it('refuses to open the editor to the network without an admin password', async () => {
    await assert.rejects(NodeRedProcess.start({ HOST: '0.0.0.0' }), /set ADMIN_PASSWORD/);
  });
});
