import assert from 'node:assert/strict';
import { CameraBackgrounds, isBackgroundPicture } from '../../../nodes/lib/image/camera-backgrounds';

const W = 40;
const H = 30;

/** A still scene: a colour gradient, different in every pixel and channel. */
function scene(): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      rgb.set([x * 5, y * 7, (x + y) * 3], (y * W + x) * 3);
    }
  }
  return rgb;
}

describe('CameraBackgrounds: when each camera samples and sends its picture', () => {
  it('samples each camera every interval, sends pictures after 5, 8 and 16 samples, then at most every publish interval', () => {
    const b = new CameraBackgrounds(10_000, 60_000, 40);
    const frame = { width: 80, height: 60 };
    assert.ok(b.wants('a', 0));
    assert.ok(!b.wants('a', 5_000), 'within the interval');
    assert.ok(b.wants('b', 5_000), 'another camera has its own clock');
    for (let i = 0; i < 4; i++) {
      b.add('a', i * 10_000, frame, scene(), []);
      assert.equal(b.due(i * 10_000 + 1_000).length, 0, `${i + 1} samples: too few for a picture`);
    }
    b.add('a', 40_000, frame, scene(), []);
    const first = b.due(41_000);
    assert.equal(first.length, 1);
    assert.ok(isBackgroundPicture(first[0]));
    assert.equal(first[0].cameraId, 'a');
    assert.equal(first[0].frames, 5);
    b.add('a', 50_000, frame, scene(), []);
    assert.equal(b.due(51_000).length, 0, 'the 6th: not within the publish interval');
    b.add('a', 60_000, frame, scene(), []);
    b.add('a', 70_000, frame, scene(), []);
    assert.equal(b.due(71_000)[0]?.frames, 8, 'the 8th: at once');
    b.add('a', 80_000, frame, scene(), []);
    assert.equal(b.due(90_000).length, 0, '9 samples, within the publish interval');
    const next = b.due(131_000);
    assert.equal(next.length, 1);
    assert.equal(next[0].updatedAt, 80_000);
    assert.equal(next[0].frames, 9);
    assert.equal(b.due(300_000).length, 0, 'nothing new: nothing sent');
  });

  it('is off at an interval of 0', () => {
    assert.ok(!new CameraBackgrounds(0).wants('a', 0));
  });
});
