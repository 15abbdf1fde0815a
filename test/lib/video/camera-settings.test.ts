import assert from 'node:assert/strict';
import { cameraSettingsOf } from '../../../nodes/lib/video/camera-settings';
import { DEFAULT_SOURCE } from '../../../nodes/lib/video/camera-source';

describe("camera settings (rtsp-in's fields)", () => {
  it('reads the form strings, fills the defaults and takes the credentials', () => {
    const { settings, problem } = cameraSettingsOf(
      { url: ' rtsp://cam/stream ', cameraId: ' door ', fps: '5', stallTimeout: '4' },
      'n1',
      { user: 'admin', password: 'secret' },
    );
    assert.equal(problem, null);
    assert.equal(settings.sourceId, 'door');
    assert.equal(settings.stallTimeoutMs, 4000);
    assert.deepEqual(settings.source, {
      ...DEFAULT_SOURCE,
      url: 'rtsp://cam/stream',
      user: 'admin',
      password: 'secret',
      fps: 5,
    });
  });

  it('names the camera by its id, else the node name, else the node id', () => {
    assert.equal(cameraSettingsOf({ url: 'a.mp4', name: 'till' }, 'n1', {}).settings.sourceId, 'till');
    assert.equal(cameraSettingsOf({ url: 'a.mp4' }, 'n1', {}).settings.sourceId, 'n1');
  });

  it('says what is wrong: no URL, a short stall timeout, a camera id named like a command', () => {
    assert.match(String(cameraSettingsOf({}, 'n1', {}).problem), /no camera URL/);
    assert.match(
      String(cameraSettingsOf({ url: 'a.mp4', stallTimeout: 1 }, 'n1', {}).problem),
      /at least 2 s/,
    );
    assert.match(
      String(cameraSettingsOf({ url: 'a.mp4', cameraId: 'reset' }, 'n1', {}).problem),
      /name of a command/,
    );
  });
});
