import assert from 'node:assert/strict';
import { cameraFrameMessage } from '../../../nodes/lib/video/frame-message';

describe('frame message (what rtsp-in sends)', () => {
  const frame = { jpeg: Buffer.from('jpeg'), seq: 7, capturedAt: 1000, width: 768, height: 576 };

  it('carries the camera id in msg.topic, the JPEG in msg.payload and the rest in msg.frame', () => {
    const msg = cameraFrameMessage('door', frame, { width: 96, height: 72 });
    assert.equal(msg.topic, 'door');
    assert.equal(msg.payload, frame.jpeg);
    assert.deepEqual(msg.frame, {
      sourceId: 'door',
      seq: 7,
      capturedAt: 1000,
      width: 768,
      height: 576,
      format: 'jpeg',
    });
  });

  it("adds ffmpeg's grey thumbnail with its size when there is one", () => {
    const grey = Buffer.alloc(96 * 72);
    const msg = cameraFrameMessage('door', { ...frame, thumbnail: grey }, { width: 96, height: 72 });
    assert.deepEqual(msg.frame.thumbnail, { width: 96, height: 72, grey });
  });
});
