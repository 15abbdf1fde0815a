import assert from 'node:assert/strict';
import { findFfmpeg } from '../../../nodes/lib/video/ffmpeg-path';

describe('finding ffmpeg', () => {
  it('takes FFMPEG_PATH first', () => {
    assert.deepEqual(findFfmpeg({ FFMPEG_PATH: '/usr/bin/ffmpeg', PATH: '' }), {
      path: '/usr/bin/ffmpeg',
      origin: 'FFMPEG_PATH',
    });
  });

  it('reports nothing when FFMPEG_PATH names a file that is not there', () => {
    assert.equal(findFfmpeg({ FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: '/usr/bin' }), null);
  });

  it('then looks on PATH', () => {
    assert.deepEqual(findFfmpeg({ PATH: '/nonexistent:/usr/bin' }), {
      path: '/usr/bin/ffmpeg',
      origin: 'PATH',
    });
  });

  it('falls back to the binary shipped by @ffmpeg-installer/ffmpeg', () => {
    const found = findFfmpeg({ PATH: '/nonexistent' });
    assert.equal(found?.origin, '@ffmpeg-installer/ffmpeg');
    assert.match(found!.path, /@ffmpeg-installer/);
  });
});
