import assert from 'node:assert/strict';
import { DEFAULT_HEAT_OPTIONS, HeatAccumulator } from '../../../nodes/lib/heatmap/heat-accumulator';

const options = { ...DEFAULT_HEAT_OPTIONS, sourceWidth: 768, sourceHeight: 576 };
const close = (a: number, b: number) => Math.abs(a - b) < 1e-3;
const T0 = 1_764_000_000_000 - (1_764_000_000_000 % 60_000); // a whole minute

describe('heat accumulation over time', () => {
  it('counts person-seconds from capture times, the same at 5 fps and 25 fps', () => {
    for (const fps of [5, 25]) {
      const acc = new HeatAccumulator(options);
      // Two people for 10 s.
      for (let i = 0; i <= 10 * fps; i++)
        acc.addFrame(
          [
            [200, 300],
            [500, 300],
          ],
          T0 + (i * 1000) / fps,
        );
      assert.ok(close(acc.total.total, 20), `${fps} fps: ${acc.total.total}`);
    }
  });

  it('records a camera gap as missing data, not as an empty floor', () => {
    const acc = new HeatAccumulator(options);
    acc.addFrame([[200, 300]], T0);
    acc.addFrame([[200, 300]], T0 + 1000);
    acc.addFrame([[200, 300]], T0 + 61_000); // the camera was down for a minute
    acc.addFrame([[200, 300]], T0 + 62_000);
    assert.ok(close(acc.total.total, 2));
    assert.ok(close(acc.gapSeconds, 60));
  });

  it('keeps an exact live window of the last N minutes, with one grid per minute', () => {
    const acc = new HeatAccumulator({ ...options, liveWindowMinutes: 2 });
    // One person every second for 5 minutes, at a different place each minute.
    for (let s = 0; s <= 300; s++) acc.addFrame([[100 + Math.floor(s / 60) * 100, 300]], T0 + s * 1000);
    const live = acc.live(T0 + 300_000);
    assert.ok(acc.liveBuckets <= 2);
    assert.ok(close(acc.total.total, 300));
    // The live view holds minute 5 (the last second only) and minute 4 (60 s).
    assert.ok(close(live.total, 61), `live ${live.total}`);
  });

  it('starts again from zero on reset', () => {
    const acc = new HeatAccumulator(options);
    acc.addFrame([[200, 300]], T0);
    acc.addFrame([[200, 300]], T0 + 500);
    acc.reset();
    assert.equal(acc.total.total, 0);
    assert.equal(acc.startedAt, null);
    assert.equal(acc.live(T0 + 600).total, 0);
  });

  it('restores a saved day once, counting the pause since its last frame as a camera gap', () => {
    const earlier = new HeatAccumulator(options);
    for (let i = 0; i <= 10; i++) earlier.addFrame([[200, 300]], T0 + i * 1000);
    const saved = { grid: earlier.total, startedAt: T0, lastFrameAt: T0 + 10_000, gapSeconds: 3 };

    // A restart: frames arrive from 30 s after the save, then the saved day is read from disk.
    const acc = new HeatAccumulator(options);
    for (let i = 0; i <= 5; i++) acc.addFrame([[500, 300]], T0 + 40_000 + i * 1000);
    assert.equal(acc.restore(saved), true);
    assert.ok(close(acc.total.total, 15), `${acc.total.total}`);
    assert.equal(acc.startedAt, T0);
    assert.ok(close(acc.gapSeconds, 3 + 30));
    // The same snapshot again (the store redeployed alone): already in, not added twice.
    assert.equal(acc.restore(saved), false);
    assert.ok(close(acc.total.total, 15));
  });

  it('restored before any frame, the first frame finds the gap since the saved last frame', () => {
    const earlier = new HeatAccumulator(options);
    earlier.addFrame([[200, 300]], T0);
    earlier.addFrame([[200, 300]], T0 + 1000);
    const acc = new HeatAccumulator(options);
    acc.restore({ grid: earlier.total, startedAt: T0, lastFrameAt: T0 + 1000, gapSeconds: 0 });
    // Saved again before a frame came: the snapshot carries the restored day's last frame.
    assert.equal(acc.lastFrameOrRestoredAt, T0 + 1000);
    acc.addFrame([[200, 300]], T0 + 21_000);
    acc.addFrame([[200, 300]], T0 + 22_000);
    assert.ok(close(acc.total.total, 2));
    assert.ok(close(acc.gapSeconds, 20));
    assert.equal(acc.lastFrameOrRestoredAt, T0 + 22_000);
  });

  it('refuses a saved map of another grid', () => {
    const other = new HeatAccumulator({ ...options, cellSize: 16 });
    const acc = new HeatAccumulator(options);
    assert.throws(
      () => acc.restore({ grid: other.total, startedAt: T0, lastFrameAt: T0, gapSeconds: 0 }),
      /another grid .* 16 px cells/,
    );
  });
});
