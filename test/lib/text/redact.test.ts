import assert from 'node:assert/strict';
import { redact } from '../../../nodes/lib/text/redact';

describe('redacting camera credentials', () => {
  it('masks user and password in any URL inside a text', () => {
    assert.equal(
      redact('rtsp://admin:s3cr%40t@10.0.0.5:554/stream1: Server returned 401 Unauthorized'),
      'rtsp://***@10.0.0.5:554/stream1: Server returned 401 Unauthorized',
    );
    assert.equal(
      redact('see http://u@cam/mjpeg and rtsp://a:b@c/d'),
      'see http://***@cam/mjpeg and rtsp://***@c/d',
    );
  });

  it('masks a known password wherever it appears, plain or percent-encoded', () => {
    assert.equal(redact('auth failed for s3cr@t:pw', ['s3cr@t:pw']), 'auth failed for ***');
    assert.equal(redact('bad s3cr%40t%3Apw here', ['s3cr@t:pw']), 'bad *** here');
  });

  it('leaves URLs without credentials alone', () => {
    assert.equal(redact('rtsp://10.0.0.5/stream1'), 'rtsp://10.0.0.5/stream1');
    assert.equal(redact('/media/vtest.avi'), '/media/vtest.avi');
  });
});
