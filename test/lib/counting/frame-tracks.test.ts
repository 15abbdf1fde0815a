import assert from 'node:assert/strict';
import { frameTracksOf } from '../../../nodes/lib/counting/frame-tracks';

describe("frameTracksOf: a tracks message's people, as the counting nodes read them", () => {
  it('reads the frame size and capture time, and keeps the tracks with a foot point', () => {
    const frame = { width: 768, height: 576, capturedAt: 1000 };
    const tracks = [{ id: 1, footPoint: [10, 20] }, { id: 2 }, { id: 'x', footPoint: [1, 2] }, null];
    assert.deepEqual(frameTracksOf({ tracks, frame }, 'door', 5), {
      cameraId: 'door',
      width: 768,
      height: 576,
      at: 1000,
      tracks: [{ id: 1, footPoint: [10, 20] }],
    });
    assert.equal(
      (frameTracksOf({ tracks: [], frame: { width: 2, height: 2 } }, 'door', 5) as { at: number }).at,
      5,
    );
  });

  it('says why a frame without its size cannot be counted', () => {
    assert.match(
      String(frameTracksOf({ tracks: [], frame: {} }, 'door', 0)),
      /msg.frame.width and height are missing/,
    );
  });
});
