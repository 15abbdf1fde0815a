import assert from 'node:assert/strict';
import { beginsLaterDay, dayFolder } from '../../../nodes/lib/time/local-day';

describe("the store's local day", () => {
  it('names a time by its local calendar day, YYYYMMDD', () => {
    assert.equal(dayFolder(new Date(2026, 10, 25, 14, 30).getTime()), '20261125');
    assert.equal(dayFolder(new Date(2026, 0, 5, 0, 0).getTime()), '20260105');
    assert.equal(dayFolder(new Date(2026, 0, 4, 23, 59, 59, 999).getTime()), '20260104');
  });

  it('begins a new day at local midnight, never an earlier one', () => {
    const day = '20261231';
    assert.equal(beginsLaterDay(day, new Date(2026, 11, 31, 23, 59, 59, 999).getTime()), false);
    assert.equal(beginsLaterDay(day, new Date(2027, 0, 1, 0, 0).getTime()), true);
    // A late frame (or a clock set back) of the day before counts into the current day.
    assert.equal(beginsLaterDay(day, new Date(2026, 11, 30, 23, 0).getTime()), false);
    // Days without frames in between (the camera was off): the next frame still begins a new day.
    assert.equal(beginsLaterDay(day, new Date(2027, 0, 4, 9, 0).getTime()), true);
  });
});
