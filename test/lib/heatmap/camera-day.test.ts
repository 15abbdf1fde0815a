import assert from 'node:assert/strict';
import { CameraDay } from '../../../nodes/lib/heatmap/camera-day';
import { DEFAULT_HEAT_OPTIONS } from '../../../nodes/lib/heatmap/heat-accumulator';

const options = { ...DEFAULT_HEAT_OPTIONS, sourceWidth: 768, sourceHeight: 576 };
const T0 = new Date(2026, 10, 25, 14, 0).getTime();

describe("a camera's day", () => {
  function busyDay(): CameraDay {
    const day = new CameraDay('door', options);
    // Two people for 10 s at 10 fps; the tracker issues its IDs at the third frame.
    for (let i = 0; i <= 100; i++)
      day.addFrame(
        [
          [200, 300],
          [500, 300],
        ],
        T0 + i * 100,
        i < 2 ? 0 : 2,
      );
    return day;
  }

  it('reports the day: activity, people in view, visitors, since when', () => {
    const s = busyDay().statistics(T0 + 10_000);
    assert.ok(Math.abs(s.totalActivitySeconds - 20) < 1e-3);
    assert.equal(s.peopleInView, 2);
    assert.equal(s.uniquePeople, 2);
    assert.equal(s.since, T0);
  });

  it('comes back whole from a snapshot after a restart, and only once', () => {
    const before = busyDay();
    const snapshot = before.snapshot(T0 + 10_000);
    assert.equal(before.changedSinceSnapshot, false);
    const after = new CameraDay('door', options);
    assert.equal(after.restore(snapshot), true);
    after.addFrame([[200, 300]], T0 + 70_000, 0);
    after.addFrame([[200, 300]], T0 + 70_100, 1);
    const s = after.statistics(T0 + 70_100);
    assert.ok(Math.abs(s.totalActivitySeconds - 20.1) < 1e-3, `${s.totalActivitySeconds}`);
    assert.equal(s.uniquePeople, 3);
    assert.equal(s.since, T0);
    assert.ok(Math.abs(s.cameraGapSeconds - 60) < 1e-3, 'the minute without frames is a gap');
    assert.equal(after.restore(snapshot), false, 'already in');
  });

  it('knows when a frame starts a new calendar day, and starts again at a reset', () => {
    const day = busyDay();
    assert.equal(day.isNewDay(T0 + 60_000), false);
    assert.equal(day.isNewDay(T0 + 12 * 3600_000), true);
    day.reset(T0 + 20_000);
    const s = day.statistics(T0 + 20_000);
    assert.equal(s.totalActivitySeconds, 0);
    assert.equal(s.uniquePeople, 0);
    assert.equal(s.since, T0 + 20_000);
  });
});
