import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { basicCredentials, StoreLogin } from '../../../nodes/lib/http/store-login';

const basic = (user: string, password: string) =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

/** A password check that counts its calls (bcrypt's cost is what the cache saves). */
function countingCheck(password: string) {
  const check = async (tried: string) => {
    check.calls++;
    return tried === password;
  };
  check.calls = 0;
  return check;
}

/** An Express-like response that records what the middleware answered. */
function recordingResponse() {
  const headers: Record<string, string> = {};
  const res = {
    statusCode: 200,
    body: '',
    headers,
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    end: (body?: string): void => {
      res.body = body ?? '';
    },
  };
  return res;
}

describe('store login (HTTP Basic)', () => {
  it('reads the user and a password that contains colons from a Basic header', () => {
    assert.deepEqual(basicCredentials(basic('store', 'a:b:c')), { user: 'store', password: 'a:b:c' });
    assert.equal(basicCredentials(undefined), null);
    assert.equal(basicCredentials('Bearer abc'), null);
    assert.equal(basicCredentials('Basic ' + Buffer.from('no colon').toString('base64')), null);
    assert.equal(basicCredentials('Basic not*base64'), null);
  });

  it('lets in the right user with the right password only', async () => {
    const login = new StoreLogin('store', countingCheck('shop-secret'));
    const allows = (authorization?: string) => login.allows({ authorization } as IncomingHttpHeaders);
    assert.equal(await allows(basic('store', 'shop-secret')), true);
    assert.equal(await allows(basic('store', 'guess')), false);
    assert.equal(await allows(basic('admin', 'shop-secret')), false);
    assert.equal(await allows(undefined), false);
  });

  it('checks the password once, then remembers it (bcrypt costs the event loop ~70 ms a time)', async () => {
    const check = countingCheck('shop-secret');
    const login = new StoreLogin('store', check);
    for (let i = 0; i < 5; i++) {
      assert.equal(await login.allows({ authorization: basic('store', 'shop-secret') }), true);
    }
    assert.equal(check.calls, 1);
    // A wrong password is checked every time: nothing about it is remembered.
    await login.allows({ authorization: basic('store', 'guess') });
    await login.allows({ authorization: basic('store', 'guess') });
    assert.equal(check.calls, 3);
  });

  it('answers 401 with a Basic challenge, and passes the right login and CORS preflights on', async () => {
    const login = new StoreLogin('store', countingCheck('shop-secret'));
    const run = (method: string, authorization?: string) =>
      new Promise<{ passed: boolean; res: ReturnType<typeof recordingResponse> }>((resolve) => {
        const res = recordingResponse();
        login.httpMiddleware({ method, headers: { authorization } }, res, () =>
          resolve({ passed: true, res }),
        );
        res.end = (body?: string) => {
          res.body = body ?? '';
          resolve({ passed: false, res });
        };
      });
    const refused = await run('GET');
    assert.equal(refused.passed, false);
    assert.equal(refused.res.statusCode, 401);
    assert.match(refused.res.headers['www-authenticate'], /^Basic realm="Store"/);
    assert.equal((await run('GET', basic('store', 'shop-secret'))).passed, true);
    assert.equal((await run('OPTIONS')).passed, true);
  });

  it('refuses a socket without the login with an error the client is told', async () => {
    const login = new StoreLogin('store', countingCheck('shop-secret'));
    const connect = (authorization?: string) =>
      new Promise<Error | undefined>((resolve) =>
        login.socketMiddleware({ handshake: { headers: { authorization } } }, resolve),
      );
    assert.match(String(await connect()), /store login is required/);
    assert.equal(await connect(basic('store', 'shop-secret')), undefined);
  });

  it('refuses rather than fails when the password check itself fails', async () => {
    const login = new StoreLogin('store', () => Promise.reject(new Error('bad hash')));
    assert.match(
      String(
        await new Promise((resolve) =>
          login.socketMiddleware({ handshake: { headers: { authorization: basic('store', 'x') } } }, resolve),
        ),
      ),
      /store login is required/,
    );
  });
});
