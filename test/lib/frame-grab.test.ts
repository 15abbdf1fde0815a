import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { grabFirstFrame, localVideoFile } from '../../nodes/lib/video/frame-grab';
import { findFfmpeg } from '../../nodes/lib/video/ffmpeg-path';
import { demoClip } from '../support/assets';

describe('the first frame of a camera file, for the drawing dialogs', () => {
  it('finds a local file behind a path, a file: URL or ${VAR}, and nothing behind a stream', () => {
    const clip = demoClip();
    assert.equal(localVideoFile(clip), clip);
    assert.equal(localVideoFile(pathToFileURL(clip).href), clip);
    assert.equal(localVideoFile('${DEMO}', { DEMO: clip }), clip);
    assert.equal(localVideoFile('${MISSING}', {}), null);
    assert.equal(localVideoFile('rtsp://10.0.0.9/stream'), null);
    assert.equal(localVideoFile('/no/such/file.mp4'), null);
  });

  it('grabs a JPEG with ffmpeg, and says so when a file has no picture', async () => {
    const ffmpeg = findFfmpeg()!;
    const jpeg = await grabFirstFrame(ffmpeg.path, demoClip());
    assert.equal(jpeg[0], 0xff);
    assert.equal(jpeg[1], 0xd8);
    await assert.rejects(grabFirstFrame(ffmpeg.path, __filename), /no picture from/);
  });
});
