import assert from 'node:assert/strict';
import type { Box } from '../../../nodes/lib/geometry/box';
import {
  inputSizeFor,
  letterboxedChwFloat,
  letterboxFor,
  toInputBox,
  toSourceBox,
} from '../../../nodes/lib/yolo/letterbox';

describe('letterbox', () => {
  it('fits a landscape frame with grey bars above and below', () => {
    const lb = letterboxFor(768, 576, 640, 640);
    assert.equal(lb.scale, 640 / 768);
    assert.deepEqual(
      [lb.scaledWidth, lb.scaledHeight, lb.padLeft, lb.padTop, lb.padRight, lb.padBottom],
      [640, 480, 0, 80, 0, 80],
    );
  });

  it('fits a portrait frame with bars left and right, the odd pixel on the right', () => {
    const lb = letterboxFor(361, 1280, 640, 640);
    assert.equal(lb.scaledHeight, 640);
    assert.equal(lb.scaledWidth, 181);
    assert.deepEqual([lb.padLeft, lb.padRight, lb.padTop, lb.padBottom], [229, 230, 0, 0]);
  });

  it('handles a non-square model input (height and width not mixed up)', () => {
    const lb = letterboxFor(1920, 1080, 640, 384);
    assert.equal(lb.scale, 1 / 3);
    assert.deepEqual(
      [lb.scaledWidth, lb.scaledHeight, lb.padTop, lb.padBottom, lb.padLeft],
      [640, 360, 12, 12, 0],
    );
    const lb2 = letterboxFor(1000, 500, 320, 640);
    assert.equal(lb2.scale, 0.32);
    assert.deepEqual([lb2.scaledWidth, lb2.scaledHeight, lb2.padTop, lb2.padBottom], [320, 160, 240, 240]);
  });

  for (const [w, h] of [
    [768, 576],
    [360, 640],
    [1920, 1080],
    [1000, 333],
  ]) {
    it(`maps boxes to the model input and back exactly for a ${w}x${h} frame`, () => {
      const lb = letterboxFor(w, h, 640, 640);
      const box: Box = [w * 0.1, h * 0.2, w * 0.55, h * 0.9];
      const back = toSourceBox(toInputBox(box, lb), lb);
      box.forEach((v, i) => assert.ok(Math.abs(back[i] - v) < 1e-9, `${back} vs ${box}`));
    });
  }

  it('clips boxes that reach into the grey bars to the frame', () => {
    const lb = letterboxFor(768, 576, 640, 640);
    assert.deepEqual(toSourceBox([-10, 40, 700, 600], lb), [0, 0, 768, 576]);
  });

  it('turns interleaved RGB bytes into planar floats 0..1 inside grey bars', () => {
    // A 2x1 frame into a 2x3 input: one grey row above and below.
    const lb = letterboxFor(2, 1, 2, 3);
    assert.deepEqual([lb.scaledWidth, lb.scaledHeight, lb.padTop, lb.padBottom], [2, 1, 1, 1]);
    const rgb = new Uint8Array([255, 0, 51, 0, 102, 255]);
    const out = letterboxedChwFloat(rgb, lb, new Float32Array(18));
    const grey = Math.round((114 / 255) * 100) / 100;
    assert.deepEqual(
      Array.from(out, (v) => Math.round(v * 100) / 100),
      [
        ...[grey, grey, 1, 0, grey, grey], // R plane: rows 0, 1, 2
        ...[grey, grey, 0, 0.4, grey, grey], // G plane
        ...[grey, grey, 0.2, 1, grey, grey], // B plane
      ],
    );
  });

  it('puts the scaled frame at the pad offset of a wide frame', () => {
    const lb = letterboxFor(768, 576, 640, 640);
    const scaled = new Uint8Array(lb.scaledWidth * lb.scaledHeight * 3).fill(255);
    const out = letterboxedChwFloat(scaled, lb, new Float32Array(3 * 640 * 640));
    const at = (plane: number, x: number, y: number) => out[plane * 640 * 640 + y * 640 + x];
    assert.equal(lb.padTop, 80);
    assert.ok(Math.abs(at(0, 0, 0) - 114 / 255) < 1e-6, 'top bar');
    assert.ok(Math.abs(at(1, 320, 79) - 114 / 255) < 1e-6, 'last bar row is grey');
    assert.equal(at(2, 0, 80), 1, 'first frame row');
    assert.equal(at(0, 639, 559), 1, 'last frame row');
    assert.ok(Math.abs(at(0, 639, 560) - 114 / 255) < 1e-6, 'bottom bar');
  });

  it("sizes a free-size model's input to the camera: long side as asked, sides multiples of 32", () => {
    assert.deepEqual(inputSizeFor(768, 576, 512), { width: 512, height: 384 }); // 4:3, no bars at all
    assert.deepEqual(inputSizeFor(1920, 1080, 512), { width: 512, height: 288 }); // 16:9
    assert.deepEqual(inputSizeFor(1080, 1920, 416), { width: 256, height: 416 }); // portrait: 234 -> 256
    assert.deepEqual(inputSizeFor(704, 576, 512), { width: 512, height: 448 }); // 419 rounded up
    assert.deepEqual(inputSizeFor(768, 576, 640), { width: 640, height: 480 });
    assert.deepEqual(inputSizeFor(100, 1, 320), { width: 320, height: 32 });
    const lb = letterboxFor(704, 576, 512, 448);
    assert.deepEqual([lb.scaledWidth, lb.scaledHeight, lb.padTop, lb.padBottom], [512, 419, 14, 15]);
    assert.throws(() => inputSizeFor(768, 576, 500), /multiple of 32: got 500/);
  });
});
