import assert from 'node:assert/strict';
import { explainFfmpegFailure } from '../../../nodes/lib/video/ffmpeg-failure';

describe('explaining why ffmpeg stopped', () => {
  // Lines as ffmpeg 5.1 prints them (seen against GStreamer's RTSP server).
  const cases: Array<[string, Parameters<typeof explainFfmpegFailure>[1], string, RegExp]> = [
    [
      '[rtsp @ 0x5] method DESCRIBE failed: 401 Unauthorized\nrtsp://***@127.0.0.1:8554/cam: Server returned 401 Unauthorized (authorization failed)',
      'rtsp',
      'auth',
      /refused the user name or password/,
    ],
    ['[rtsp @ 0x5] method DESCRIBE failed: 404 Not Found', 'rtsp', 'not-found', /no stream at this address/],
    [
      '[tcp @ 0x5] Connection to tcp://127.0.0.1:18555?timeout=0 failed: Connection refused',
      'rtsp',
      'refused',
      /refused the connection/,
    ],
    [
      '[tcp @ 0x5] Connection to tcp://10.9.9.9:554 failed: No route to host',
      'rtsp',
      'unreachable',
      /unreachable/,
    ],
    [
      '[tcp @ 0x5] Failed to resolve hostname nocam.local: Name or service not known',
      'rtsp',
      'dns',
      /host name/,
    ],
    ['[rtsp @ 0x5] method SETUP failed: 461 Unsupported transport', 'rtsp', 'transport', /TCP\/UDP/],
    ['/data/none.mp4: No such file or directory', 'file', 'no-file', /video file not found/],
    ['/dev/video9: No such file or directory', 'v4l2', 'no-device', /video device/],
    ['/tmp/x.txt: Invalid data found when processing input', 'file', 'not-video', /video stream/],
  ];
  for (const [stderr, kind, code, message] of cases) {
    it(`recognises ${code}`, () => {
      const failure = explainFfmpegFailure(stderr, kind, 1);
      assert.equal(failure.code, code);
      assert.match(failure.message, message);
    });
  }

  it('keeps the last line of anything unknown and tells a clean end', () => {
    assert.deepEqual(explainFfmpegFailure('first\nsomething odd happened\n', 'rtsp', 1), {
      code: 'unknown',
      message: 'ffmpeg stopped: something odd happened',
    });
    assert.equal(explainFfmpegFailure('', 'file', 0).message, 'end of the video file');
    assert.equal(explainFfmpegFailure('', 'rtsp', 0).message, 'camera ended the stream');
  });

  it('tells a crash (ffmpeg ended by a signal it was not sent by us)', () => {
    assert.deepEqual(explainFfmpegFailure('', 'rtsp', 1, 'SIGSEGV'), {
      code: 'crashed',
      message: 'ffmpeg crashed (SIGSEGV)',
    });
    // What ffmpeg said still wins when it explains the failure.
    assert.equal(explainFfmpegFailure('401 Unauthorized', 'rtsp', 1, 'SIGABRT').code, 'auth');
  });
});
