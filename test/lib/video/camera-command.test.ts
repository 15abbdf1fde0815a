import assert from 'node:assert/strict';
import { runCameraCommand } from '../../../nodes/lib/video/camera-command';

function camera() {
  const done: string[] = [];
  return {
    done,
    start: () => void done.push('start'),
    stop: async () => void done.push('stop'),
    restart: async () => void done.push('restart'),
  };
}

describe('camera command (start, stop, restart by msg.topic)', () => {
  it('carries out the command for this camera or for every camera', async () => {
    const cam = camera();
    await runCameraCommand(cam, 'door', { topic: 'stop' });
    await runCameraCommand(cam, 'door', { topic: 'Start', cameras: 'till, door' });
    await runCameraCommand(cam, 'door', { topic: 'restart', cameras: ['*'] });
    assert.deepEqual(cam.done, ['stop', 'start', 'restart']);
  });

  it('does nothing for a command naming other cameras', async () => {
    const cam = camera();
    await runCameraCommand(cam, 'door', { topic: 'stop', cameras: 'till' });
    assert.deepEqual(cam.done, []);
  });

  it('rejects msg.cameras it cannot read', async () => {
    await assert.rejects(
      runCameraCommand(camera(), 'door', { topic: 'stop', cameras: 3 }),
      /msg.cameras must be/,
    );
  });
});
