import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import bodyParser from 'body-parser';
import express from 'express';
import { answerBodyErrors, bodyErrorAnswer } from '../../../nodes/lib/http/body-errors';

/** A route made as Node-RED's http in node makes one for POST (its parsers, its 500 error handler). */
function httpInLikeApp(): express.Express {
  const app = express();
  function rawBodyParser(_req: express.Request, _res: express.Response, next: express.NextFunction) {
    next();
  }
  app.post(
    '/save',
    bodyParser.json({ limit: '5mb' }),
    bodyParser.urlencoded({ limit: '5mb', extended: true }),
    rawBodyParser,
    (req: express.Request, res: express.Response) => {
      if (req.query.fail) throw new Error('the flow failed');
      res.send('saved');
    },
    (_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.sendStatus(500);
    },
  );
  return app;
}

async function serve(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const form = (fields: number) => Array.from({ length: fields }, (_, i) => `f${i}=1`).join('&');

describe('body errors of http in routes: 413 and 400 with the reason, not 500', () => {
  it('names a body too large, too many fields and JSON that does not parse', () => {
    assert.deepEqual(
      bodyErrorAnswer(
        Object.assign(new Error('request entity too large'), {
          status: 413,
          expose: true,
          type: 'entity.too.large',
          length: 6 * 1048576,
          limit: 5 * 1048576,
        }),
      ),
      { status: 413, text: 'request body too large (6 MB): this endpoint takes at most 5 MB' },
    );
    assert.equal(
      bodyErrorAnswer({ status: 413, expose: true, type: 'parameters.too.many' })?.text,
      'too many form fields: this endpoint takes at most 1000',
    );
    assert.equal(bodyErrorAnswer({ status: 400, expose: true, type: 'entity.parse.failed' })?.status, 400);
    // Not the client's fault, or not marked safe to show: left to the route's own handler.
    assert.equal(bodyErrorAnswer(new Error('boom')), null);
    assert.equal(bodyErrorAnswer({ status: 500, expose: false, type: 'stream.not.readable' }), null);
    assert.equal(bodyErrorAnswer({ status: 401, message: 'secret detail' }), null);
    assert.equal(bodyErrorAnswer(null), null);
  });

  it("answers through the route's own error handler: 413, 413, 400, and 500 for the flow's own error", async () => {
    const app = httpInLikeApp();
    const { url, close } = await serve(app);
    try {
      const post = (body: string, type: string, path = '/save') =>
        fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
      const big = 'a'.repeat(6 * 1048576);
      // As http in answers them by itself.
      assert.equal((await post(big, 'application/x-www-form-urlencoded')).status, 500);
      assert.equal(answerBodyErrors(app), 1, 'the one route with a body');
      assert.equal(answerBodyErrors(app), 0, 'wrapped once');

      const tooLarge = await post(big, 'application/x-www-form-urlencoded');
      assert.equal(tooLarge.status, 413);
      assert.match(tooLarge.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(
        await tooLarge.text(),
        'request body too large (6 MB): this endpoint takes at most 5 MB\n',
      );
      const json = await post(big, 'application/json');
      assert.equal(json.status, 413);
      const fields = await post(form(1001), 'application/x-www-form-urlencoded');
      assert.equal(fields.status, 413);
      assert.match(await fields.text(), /too many form fields: this endpoint takes at most 1000/);
      const broken = await post('{"camera": ', 'application/json');
      assert.equal(broken.status, 400);
      assert.match(await broken.text(), /^the request body cannot be read: /);
      // Within the limits all is as before.
      assert.equal((await post(form(1000), 'application/x-www-form-urlencoded')).status, 200);
      assert.equal((await post('{"camera": "door"}', 'application/json')).status, 200);
      assert.equal((await post('x', 'application/json', '/save?fail=1')).status, 400);
      assert.equal((await post('{}', 'application/json', '/save?fail=1')).status, 500);
    } finally {
      await close();
    }
  });

  it('leaves an app without routes, or without a body route, alone', () => {
    assert.equal(answerBodyErrors(null), 0);
    assert.equal(answerBodyErrors(express()), 0);
    const app = express();
    app.get('/x', (_req, res) => res.send('x'));
    assert.equal(answerBodyErrors(app), 0);
  });
});
