import assert from 'node:assert/strict';
import type { ReadonlyBox } from '../../../nodes/lib/geometry/box';
import { BackgroundModel, backgroundSize } from '../../../nodes/lib/image/background-model';

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

/** The scene with a bright "person" block whose box is [x, y, x + 6, y + 12]. */
function withPerson(x: number, y: number): { rgb: Uint8Array; box: ReadonlyBox } {
  const rgb = scene();
  for (let yy = y; yy < y + 12; yy++) {
    for (let xx = x; xx < x + 6; xx++) rgb.set([255, 0, 255], (yy * W + xx) * 3);
  }
  return { rgb, box: [x, y, x + 6, y + 12] };
}

const samePixels = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe('BackgroundModel: a person-free picture of the view', () => {
  it('gives the empty scene from frames with a person walking through, boxes wiped', () => {
    const model = new BackgroundModel(W, H, { samples: 5, margin: 0.15, minSamples: 5, minVotes: 3 });
    for (let i = 0; i < 5; i++) {
      const { rgb, box } = withPerson(2 + i * 7, 5 + i);
      model.add(rgb, [box], W, H);
    }
    const picture = model.picture()!;
    assert.equal(picture.width, W);
    assert.ok(samePixels(picture.pixels, scene()), 'every pixel is the scene');
  });

  it('outvotes a person the detector missed in a minority of the samples', () => {
    const model = new BackgroundModel(W, H, { samples: 5, margin: 0.15, minSamples: 5, minVotes: 3 });
    const missed = withPerson(10, 10);
    model.add(missed.rgb, [], W, H); // no box: the detector did not see this one
    model.add(scene(), [], W, H);
    model.add(missed.rgb, [], W, H);
    model.add(scene(), [], W, H);
    model.add(scene(), [], W, H);
    assert.ok(samePixels(model.picture()!.pixels, scene()));
  });

  it('scales boxes from frame coordinates and keeps the margin around them', () => {
    const model = new BackgroundModel(W, H, { samples: 3, margin: 0.5, minSamples: 1, minVotes: 1 });
    // A frame 4x larger; the person [40,40]-[64,88] is [10,10]-[16,22] here, with half a box of margin.
    const { rgb } = withPerson(10, 10);
    for (let y = 4; y < 28; y++) rgb.set([200, 200, 200], (y * W + 7) * 3); // inside the margin only
    model.add(rgb, [[40, 40, 64, 88]], W * 4, H * 4);
    const picture = model.picture()!;
    for (let y = 10; y < 22; y++) {
      for (let x = 7; x < 16; x++) {
        assert.deepEqual([...picture.pixels.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)], [48, 48, 48]);
      }
    }
    // Outside the box and margin: the scene.
    assert.deepEqual([...picture.pixels.subarray(0, 3)], [...scene().subarray(0, 3)]);
  });

  it('keeps the last median where the newest samples all saw people, grey where none ever saw', () => {
    const model = new BackgroundModel(W, H, { samples: 2, margin: 0, minSamples: 1, minVotes: 1 });
    const box: ReadonlyBox = [0, 0, 4, 4];
    model.add(scene(), [box], W, H);
    assert.deepEqual([...model.picture()!.pixels.subarray(0, 3)], [48, 48, 48], 'never seen: grey');
    model.add(scene(), [], W, H);
    const seen = model.picture()!;
    assert.ok(samePixels(seen.pixels, scene()));
    model.add(scene().fill(9), [box], W, H);
    model.add(scene().fill(9), [box], W, H);
    const later = model.picture()!;
    assert.deepEqual([...later.pixels.subarray(0, 3)], [...scene().subarray(0, 3)], 'the last median');
    assert.equal(later.pixels[(5 * W + 5) * 3], 9, 'outside the box: the new view');
  });

  it('gives no picture before 5 samples, and never a pixel fewer than 3 samples saw free', () => {
    const model = new BackgroundModel(W, H);
    const missed = withPerson(10, 10); // the detector missed this one in one sample...
    const seenBox: ReadonlyBox = [8, 8, 18, 24]; // ...and saw someone there in every other
    model.add(missed.rgb, [], W, H);
    for (let i = 0; i < 3; i++) {
      model.add(scene(), [seenBox], W, H);
      assert.equal(model.picture(), null, `${i + 2} samples: no picture yet`);
    }
    model.add(scene(), [seenBox], W, H);
    const picture = model.picture()!;
    const at = (x: number, y: number) => [...picture.pixels.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
    assert.deepEqual(at(12, 14), [48, 48, 48], 'seen free by one sample only (the missed person): grey');
    assert.deepEqual(at(30, 2), [...scene().subarray((2 * W + 30) * 3, (2 * W + 30) * 3 + 3)]);
  });

  it('refuses a sample of the wrong size', () => {
    const model = new BackgroundModel(W, H);
    assert.throws(() => model.add(new Uint8Array(10), [], W, H), /must be 40x30 RGB/);
    assert.throws(() => new BackgroundModel(0, 3), /whole size/);
  });

  it('sizes a background at most 320 wide with the frame aspect', () => {
    assert.deepEqual(backgroundSize(768, 576), { width: 320, height: 240 });
    assert.deepEqual(backgroundSize(200, 100), { width: 200, height: 100 });
  });
});
