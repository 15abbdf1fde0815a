import assert from 'node:assert/strict';
import { dayFolder } from '../../../nodes/lib/time/local-day';

describe("the store's local day", () => {
  it('names a time by its local calendar day, YYYYMMDD', () => {
    assert.equal(dayFolder(new Date(2026, 10, 25, 14, 30).getTime()), '20261125');
    assert.equal(dayFolder(new Date(2026, 0, 5, 0, 0).getTime()), '20260105');
    assert.equal(dayFolder(new Date(2026, 0, 4, 23, 59, 59, 999).getTime()), '20260104');
  });
});
