import assert from 'node:assert/strict';
import sharp from '../../../nodes/lib/image/sharp';
import { greyThumbnail } from '../../../nodes/lib/motion/grey-thumbnail';
import {
  GreyFrame,
  MAX_REGIONS,
  MotionDetector,
  MotionResult,
} from '../../../nodes/lib/motion/motion-detector';
import { boxUnion, type Box } from '../../../nodes/lib/geometry/box';
import { clipFrameJpeg } from '../../../support/video/clip-frame';

const W = 96;
const H = 72;

/** A still view with texture at several scales (70..150), as floor tiles and shelves give. */
function scene(): Uint8Array {
  const grey = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++)
      grey[y * W + x] = 70 + ((x * 37 + y * 91) % 41) + (((x >> 3) + (y >> 3)) & 1) * 40;
  }
  return grey;
}

/** A pixel box [x1, y1, x2, y2) of a "person": a bright block. */
type Block = [number, number, number, number];

function withBlocks(base: Uint8Array, blocks: Block[], level = 230): Uint8Array {
  const grey = base.slice();
  for (const [x1, y1, x2, y2] of blocks) {
    for (let y = y1; y < y2; y++) grey.fill(level, y * W + x1, y * W + x2);
  }
  return grey;
}

const frame = (data: Uint8Array): GreyFrame => ({ data, width: W, height: H });

/** A 6x12 block (a person at 1/8 scale) with its top left corner at (x, y). */
const person = (x: number, y: number): Block => [x, y, x + 6, y + 12];

function contains(region: Box, [x1, y1, x2, y2]: Block): boolean {
  return region[0] <= x1 / W && region[1] <= y1 / H && region[2] >= x2 / W && region[3] >= y2 / H;
}

/** The box around all regions: what a crop to the motion would take. */
function unionOf(regions: Box[]): Box {
  return regions.reduce(boxUnion);
}

/** Deterministic uniform numbers in [0, 1) (mulberry32), so a noise test fails the same way every time. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The view with sensor noise: the sum of three uniforms (bell-shaped), -6..+6 levels. */
function noisy(base: Uint8Array, next: () => number): Uint8Array {
  const grey = new Uint8Array(base.length);
  for (let i = 0; i < base.length; i++) grey[i] = base[i] + Math.round((next() + next() + next() - 1.5) * 4);
  return grey;
}

describe('MotionDetector: when the person detector needs to run', () => {
  it('claims nothing on the first frame, which only starts the background', () => {
    const result = new MotionDetector().update(frame(withBlocks(scene(), [person(10, 10)])), 0);
    assert.deepEqual(result, {
      motion: false,
      changedFraction: 0,
      regions: [],
      lightChange: false,
      warmingUp: true,
    });
  });

  it('finds a still scene still', () => {
    const detector = new MotionDetector();
    for (let i = 0; i < 50; i++) {
      const result = detector.update(frame(scene()), i * 100);
      assert.equal(result.motion, false, `frame ${i}`);
      assert.equal(result.changedFraction, 0);
    }
  });

  it('finds a moving block and a region around it', () => {
    const detector = new MotionDetector();
    const base = scene();
    let last: MotionResult | null = null;
    for (let i = 0; i < 100; i++) {
      const block = person(10 + Math.floor(i * 0.8), 20);
      last = detector.update(frame(withBlocks(base, [block])), i * 100);
      if (i === 0 || Math.floor(i * 0.8) === Math.floor((i - 1) * 0.8)) continue; // it did not move
      assert.equal(last.motion, true, `frame ${i}`);
      assert.equal(last.lightChange, false);
      // A plain block changes only at its edges while it overlaps where it was (so the leading and
      // trailing edge may be two regions): the union is what holds it.
      assert.ok(
        contains(unionOf(last.regions), block),
        `frame ${i}: ${JSON.stringify(last.regions)} holds ${block}`,
      );
    }
    // Once the background has settled, the region is the block and not much of its trail (8 px/s).
    const [x1, y1, x2, y2] = last!.regions[0];
    assert.ok((x2 - x1) * W <= 10 && (y2 - y1) * H <= 14, `region ${JSON.stringify(last!.regions)}`);
  });

  it('gives one region per separate mover, biggest first, and never more than MAX_REGIONS', () => {
    const detector = new MotionDetector();
    const base = scene();
    detector.update(frame(base), 0);
    const two = detector.update(frame(withBlocks(base, [person(5, 5), [60, 40, 80, 64]])), 100);
    assert.equal(two.regions.length, 2);
    assert.ok(contains(two.regions[0], [60, 40, 80, 64]) && contains(two.regions[1], person(5, 5)));

    // A crowd of 24 small movers: at most MAX_REGIONS boxes, whose union still holds all of them.
    const crowd: Block[] = [];
    for (let row = 0; row < 4; row++) {
      for (let column = 0; column < 6; column++)
        crowd.push([4 + column * 16, 4 + row * 18, 7 + column * 16, 8 + row * 18]);
    }
    const fresh = new MotionDetector();
    fresh.update(frame(base), 0);
    const many = fresh.update(frame(withBlocks(base, crowd)), 100);
    assert.equal(many.motion, true);
    assert.ok(
      many.regions.length <= MAX_REGIONS && many.regions.length > 1,
      `${many.regions.length} regions`,
    );
    for (const block of crowd) {
      assert.ok(
        many.regions.some((r) => contains(r, block)),
        `${block} lost from ${JSON.stringify(many.regions)}`,
      );
    }
    const areas = many.regions.map(([x1, y1, x2, y2]) => (x2 - x1) * (y2 - y1));
    for (let i = 1; i < areas.length; i++) assert.ok(areas[i] <= areas[i - 1] + 1e-9, `areas ${areas}`);
  });

  it('takes a +40 brightness change for light, not motion, and the new level for still', () => {
    const detector = new MotionDetector();
    const base = scene();
    for (let i = 0; i < 20; i++) detector.update(frame(base), i * 100);
    const brighter = base.map((v) => v + 40);
    const change = detector.update(frame(brighter), 2000);
    assert.equal(change.lightChange, true);
    assert.equal(change.motion, false);
    assert.deepEqual(change.regions, []);
    for (let i = 1; i <= 20; i++) {
      const after = detector.update(frame(brighter), 2000 + i * 100);
      assert.equal(after.motion, false, `frame ${i} after`);
      assert.equal(after.lightChange, false);
    }
  });

  it('takes an uneven light change over most of the view for light (the background is learnt anew)', () => {
    const detector = new MotionDetector();
    const base = scene();
    for (let i = 0; i < 20; i++) detector.update(frame(base), i * 100);
    // Auto-exposure, or daylight through a window: brighter by 10..80 levels from left to right.
    const lit = base.map((v, i) => Math.min(255, v + 10 + Math.round((70 * (i % W)) / W)));
    assert.equal(detector.update(frame(lit), 2000).lightChange, true);
    assert.equal(detector.update(frame(lit), 2100).motion, false);
    // Lights going on at the left and off at the right: no overall shift, but 80% of the view changed.
    const split = new MotionDetector();
    for (let i = 0; i < 20; i++) split.update(frame(base), i * 100);
    const relit = base.map((v, i) => (i % W < 38 ? v + 60 : i % W >= 58 ? v - 60 : v));
    const result = split.update(frame(relit), 2000);
    assert.ok(result.lightChange && !result.motion && result.changedFraction > 0.6, JSON.stringify(result));
    assert.equal(split.update(frame(relit), 2100).motion, false);
    // A slow drift of a level per frame is taken out without calling it a light change.
    const drifting = new MotionDetector();
    for (let i = 0; i < 60; i++) {
      const result = drifting.update(frame(base.map((v) => v + i)), i * 100);
      assert.equal(result.motion || result.lightChange, false, `drift frame ${i}`);
    }
  });

  it('ignores sensor noise of +-6 levels on a still scene over 100 frames', () => {
    const detector = new MotionDetector();
    const base = scene();
    const next = random(42);
    let mostChanged = 0;
    for (let i = 0; i < 100; i++) {
      const result = detector.update(frame(noisy(base, next)), i * 100);
      assert.equal(result.motion, false, `frame ${i}`);
      mostChanged = Math.max(mostChanged, result.changedFraction);
    }
    assert.equal(mostChanged, 0);
  });

  it('lets a block that stops become background after a few time constants, at 5 and 25 fps alike', () => {
    const adaptSeconds = 2;
    const secondsUntilStill = (fps: number) => {
      const detector = new MotionDetector({ backgroundAdaptSeconds: adaptSeconds });
      const base = scene();
      const stopAtS = 10;
      for (let i = 0; ; i++) {
        const s = i / fps;
        const block = person(10 + Math.round(4 * Math.min(s, stopAtS)), 20);
        const result = detector.update(frame(withBlocks(base, [block])), s * 1000);
        if (s < stopAtS) continue;
        if (!result.motion) return s - stopAtS;
        if (s > stopAtS + 10 * adaptSeconds) return Infinity;
      }
    };
    const at5 = secondsUntilStill(5);
    const at25 = secondsUntilStill(25);
    // ln(contrast / threshold) = ln(120 / 20) ~ 1.8 time constants.
    assert.ok(at5 > adaptSeconds && at5 < 3 * adaptSeconds, `5 fps: still after ${at5} s`);
    assert.ok(Math.abs(at5 - at25) <= 0.3, `5 fps: ${at5} s, 25 fps: ${at25} s`);
  });

  it('starts again on a frame of another size, and throws on a frame whose size does not match its data', () => {
    const detector = new MotionDetector();
    detector.update(frame(scene()), 0);
    const small = detector.update({ data: new Uint8Array(48 * 36).fill(90), width: 48, height: 36 }, 100);
    assert.equal(small.warmingUp, true);
    assert.equal(
      detector.update({ data: new Uint8Array(48 * 36).fill(90), width: 48, height: 36 }, 200).motion,
      false,
    );
    assert.throws(
      () => detector.update({ data: new Uint8Array(100), width: W, height: H }, 300),
      /96x72 grey frame needs 6912 bytes \(one per pixel\), not 100/,
    );
    assert.throws(() => detector.update({ data: new Uint8Array(0), width: 0, height: 0 }, 300), /whole size/);
    assert.throws(() => detector.update(frame(scene()), NaN), /capture time in ms, not NaN/);
    assert.throws(() => new MotionDetector({ minimumArea: 5 }), /minimumArea/);
  });
});

describe('greyThumbnail: a small grey picture from a camera JPEG', () => {
  let jpeg: Buffer;
  before(() => {
    jpeg = clipFrameJpeg(300);
  });

  it('shrinks a frame of the clip to the width asked, keeping its aspect and its greys', async () => {
    const thumbnail = await greyThumbnail(jpeg, 96);
    assert.equal(thumbnail.width, 96);
    assert.equal(thumbnail.height, 72);
    assert.equal(thumbnail.data.length, 96 * 72);
    let sum = 0;
    for (const v of thumbnail.data) sum += v;
    const mean = sum / thumbnail.data.length;
    assert.ok(mean > 60 && mean < 180, `mean grey ${mean}`);
    // The same picture as sharp's own greyscale and resize, within JPEG-scale rounding.
    const reference = await sharp(jpeg).resize({ width: 96, kernel: 'linear' }).greyscale().raw().toBuffer();
    let difference = 0;
    for (let i = 0; i < reference.length; i++) difference += Math.abs(reference[i] - thumbnail.data[i]);
    assert.ok(difference / reference.length < 4, `mean difference ${difference / reference.length} levels`);
    const wider = await greyThumbnail(jpeg, 192);
    assert.deepEqual([wider.width, wider.height], [192, 144]);
  });

  it('reads a greyscale JPEG (one band) too', async () => {
    const greyJpeg = await sharp(jpeg).greyscale().jpeg().toBuffer();
    const thumbnail = await greyThumbnail(greyJpeg, 96);
    const fromColour = await greyThumbnail(jpeg, 96);
    assert.deepEqual([thumbnail.width, thumbnail.height, thumbnail.data.length], [96, 72, 96 * 72]);
    let difference = 0;
    for (let i = 0; i < fromColour.data.length; i++)
      difference += Math.abs(fromColour.data[i] - thumbnail.data[i]);
    assert.ok(
      difference / fromColour.data.length < 4,
      `mean difference ${difference / fromColour.data.length}`,
    );
  });

  it('says clearly when it is given something that is not a JPEG', async () => {
    await assert.rejects(greyThumbnail(Buffer.from('hello, not a picture'), 96), /not a JPEG/);
    await assert.rejects(greyThumbnail(jpeg.subarray(0, 600), 96), /not a JPEG/);
    await assert.rejects(greyThumbnail(jpeg, 0), /whole size in pixels/);
    // A width and height: exactly that size, as ffmpeg's thumbnail beside the JPEG.
    const exact = await greyThumbnail(jpeg, { width: 96, height: 72 });
    assert.deepEqual([exact.width, exact.height, exact.data.length], [96, 72, 96 * 72]);
  });
});
