import assert from 'node:assert/strict';
import { cameraStatusText } from '../../../nodes/lib/video/camera-status';

describe("camera status (rtsp-in's status line)", () => {
  it('leads with the camera id in every state', () => {
    assert.deepEqual(cameraStatusText('door', { state: 'stopped' }), {
      state: 'idle',
      text: 'door: stopped',
    });
    assert.deepEqual(cameraStatusText('door', { state: 'connecting' }), {
      state: 'connecting',
      text: 'door: connecting',
    });
    assert.deepEqual(cameraStatusText('door', { state: 'streaming', fps: 11.96 }), {
      state: 'ok',
      text: 'door: streaming 12.0 fps',
    });
    assert.deepEqual(cameraStatusText('door', { state: 'ended' }), {
      state: 'idle',
      text: 'door: end of video',
    });
  });

  it('says why it reconnects and when, in whole seconds', () => {
    const failure = { code: 'stalled', message: 'no picture for 10 s' } as never;
    assert.deepEqual(cameraStatusText('door', { state: 'reconnecting', retryInMs: 1500, failure }), {
      state: 'error',
      text: 'door: no picture for 10 s - reconnecting in 2 s',
    });
  });
});
