import assert from 'node:assert/strict';
import { NodeRedProcess } from '../support/node-red-process';

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

  it('asks for the admin login in the editor API, which the store login does not open', async () => {
    assert.equal((await fetch(`${red.url}/admin/flows`)).status, 401);
    assert.equal((await fetch(`${red.url}/admin/flows`, { headers: { Authorization: store } })).status, 401);
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
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const flows = await fetch(`${red.url}/admin/flows`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    assert.equal(flows.status, 200);
  });

  it('refuses to open the editor to the network without an admin password', async () => {
    await assert.rejects(NodeRedProcess.start({ HOST: '0.0.0.0' }), /set ADMIN_PASSWORD/);
  });
});
