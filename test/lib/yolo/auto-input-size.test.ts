import assert from 'node:assert/strict';
import { AutoInputSize, DEFAULT_AUTO_INPUT_SIZE } from '../../../nodes/lib/yolo/auto-input-size';

/**
 * `cameras` cameras at `fps` each, for `seconds`, against a model that answers `capacity` frames a
 * second in all at the auto size's current side (`capacityAt(side)`), shared in turn: what the shared
 * detector reports to the policy. Returns the sides used, one per second.
 */
function run(
  auto: AutoInputSize,
  cameras: number,
  fps: number,
  seconds: number,
  capacityAt: (side: number) => number,
  start = 0,
): number[] {
  const sides: number[] = [];
  for (let s = 0; s < seconds; s++) {
    const side = auto.side;
    sides.push(side);
    const capacity = capacityAt(side);
    const offered = cameras * fps;
    const served = Math.min(offered, capacity);
    // Each camera gets an equal share; the rest of its frames are replaced while waiting.
    for (let i = 0; i < served; i++) {
      auto.served(
        `camera-${i % cameras}`,
        start + s * 1000 + (i * 1000) / served,
        side,
        side === 512 ? 62 : 37,
      );
    }
    for (let i = 0; i < offered - served; i++) auto.dropped(`camera-${i % cameras}`, start + s * 1000 + 999);
  }
  return sides;
}

/** This machine's measured capacity: ~19.4 detections/s at 512 and ~25 at 416 with 8 cameras' costs. */
const MEASURED = (side: number) => (side === 512 ? 19 : 25);

describe('auto input size: the model input follows the load', () => {
  it('stays at 512 while the model takes every frame (one or two cameras)', () => {
    const auto = new AutoInputSize();
    assert.ok(run(auto, 2, 10, 60, MEASURED).every((s) => s === 512));
  });

  it('stays at 512 while every busy camera gets at least 3 detections a second (4 cameras)', () => {
    const auto = new AutoInputSize();
    assert.ok(run(auto, 4, 10, 60, MEASURED).every((s) => s === 512));
  });

  it('goes to 416 when 8 busy cameras get fewer than 3 a second each, and stays there', () => {
    const auto = new AutoInputSize();
    const sides = run(auto, 8, 10, 60, MEASURED);
    assert.equal(sides[0], 512);
    assert.ok(
      sides.slice(12).every((s) => s === 416),
      sides.join(','),
    );
  });

  it('goes back to 512 when the load falls, after three calm windows or when 512 would give enough', () => {
    const auto = new AutoInputSize();
    run(auto, 8, 10, 30, MEASURED);
    assert.equal(auto.side, 416);
    // Four cameras at 416: 6.25 each; at 512 (37/62 of that rate) 3.7 >= 3 x 1.25: up after a window.
    const sides = run(auto, 4, 10, 30, MEASURED, 30_000);
    assert.equal(sides.at(-1), 512, sides.join(','));
    // The store closes: nothing at all is dropped, and it stays up.
    assert.equal(run(auto, 1, 5, 40, MEASURED, 60_000).at(-1), 512);
  });

  it('does not swing at the edge: a load 416 just takes and 512 would not', () => {
    const auto = new AutoInputSize();
    // 6 cameras at 4 fps: 24 offered; 416 takes 25 (no drops), 512 takes 19 (3.2 each, above 3).
    const sides = run(auto, 6, 4, 120, MEASURED);
    assert.ok(
      sides.every((s) => s === 512),
      'above the floor at 512: no reason to go down',
    );
    // 7 cameras at 4 fps: 28 offered; 512 gives 2.7 each (< 3) -> 416, where 25 of 28 are taken.
    const auto2 = new AutoInputSize();
    const sides2 = run(auto2, 7, 4, 120, MEASURED);
    const changes = sides2.filter((s, i) => i > 0 && s !== sides2[i - 1]).length;
    assert.ok(changes <= 1, `changed ${changes} times: ${sides2.join(',')}`);
  });

  it('has defaults named for what they trade', () => {
    assert.deepEqual(DEFAULT_AUTO_INPUT_SIZE.sides, [512, 416]);
    assert.equal(DEFAULT_AUTO_INPUT_SIZE.minDetectionsPerSecond, 3);
  });

  it('takes a camera busy for a moment at its rate while busy, not over the whole window', () => {
    const auto = new AutoInputSize();
    // Seven quiet cameras get every frame they offer; one moves for 2 s of each 10 s and gets 4 a
    // second then, with a few frames dropped: 4 >= 3, no reason to go down.
    for (let s = 0; s < 60; s++) {
      for (let c = 0; c < 7; c++) auto.served(`quiet-${c}`, s * 1000 + c * 10, 512, 62);
      if (s % 10 < 2) {
        for (let i = 0; i < 4; i++) auto.served('moving', s * 1000 + i * 250, 512, 62);
        auto.dropped('moving', s * 1000 + 900);
      }
      assert.equal(auto.side, 512, `second ${s}`);
    }
  });

  it('gives no verdict on a window that ran on through a pause (cameras stopped for an hour)', () => {
    const auto = new AutoInputSize();
    run(auto, 4, 10, 9, MEASURED);
    // Nothing for an hour, then the same 4 cameras: still 512, and 512 is still known to serve them.
    const sides = run(auto, 4, 10, 30, MEASURED, 3_600_000);
    assert.ok(
      sides.every((s) => s === 512),
      sides.join(','),
    );
  });
});
