import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NodeRedProcess } from '../support/node-red-process';
import { waitFor } from '../support/processes';

const CREDENTIAL_KEY = 'a key from the environment';

/** Logins and the POST-only switch, in a real Node-RED started like `npm start`. */
describe('protecting the store page, streams, dashboard and editor (npm start settings)', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  const store = 'Basic ' + Buffer.from('store:shop-secret').toString('base64');

  before(async () => {
    red = await NodeRedProcess.start({
      STORE_PASSWORD: 'shop-secret',
      ADMIN_PASSWORD: 'admin-secret',
      STATE_CHANGES_POST_ONLY: 'true',
      CREDENTIAL_SECRET: CREDENTIAL_KEY,
    });
  });
  after(async () => {
    await red?.stop();
  });

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

  it('refuses to open the editor to the network without an admin password', async () => {
    await assert.rejects(NodeRedProcess.start({ HOST: '0.0.0.0' }), /set ADMIN_PASSWORD/);
  });
});
