import assert from 'node:assert/strict';
import { areasSetting, parseFrameAreas } from '../../../nodes/lib/counting/areas';
import { FootfallDay, lastResetAt } from '../../../nodes/lib/counting/footfall-day';

const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();
const crossing = (direction: 'in' | 'out', when: number, line = 'door') => ({
  line,
  direction,
  trackId: 1,
  at: when,
});

describe("FootfallDay: a camera's footfall for the day", () => {
  it('counts in and out per line and per hour, and occupancy never below 0', () => {
    const day = new FootfallDay(['door', 'side'], null, at(2, 8));
    day.add(crossing('out', at(2, 8, 5))); // someone from before opening walks out
    for (const h of [9, 9, 10]) day.add(crossing('in', at(2, h, 30)));
    day.add(crossing('out', at(2, 11), 'side'));
    const t = day.totals();
    assert.deepEqual(t.lines, { door: { in: 3, out: 1 }, side: { in: 0, out: 1 } });
    assert.equal(t.in, 3);
    assert.equal(t.out, 2);
    assert.equal(t.occupancy, 2);
    assert.equal(t.hourly.in[9], 2);
    assert.equal(t.hourly.in[10], 1);
    assert.equal(t.hourly.out[8], 1);
    assert.equal(t.day, '20261202');
  });

  it('starts a new day at midnight and gives back the finished one', () => {
    const day = new FootfallDay(['door'], null, at(2, 8));
    day.add(crossing('in', at(2, 23, 50)));
    assert.equal(day.advance(at(2, 23, 59)), null);
    const finished = day.advance(at(3, 0, 1));
    assert.equal(finished?.day, '20261202');
    assert.equal(finished?.in, 1);
    assert.equal(day.totals().in, 0);
    assert.equal(day.totals().occupancy, 0);
  });

  it('keeps occupancy past midnight until its reset hour', () => {
    const day = new FootfallDay(['door'], 4, at(2, 20));
    day.add(crossing('in', at(2, 23)));
    day.advance(at(3, 1));
    assert.equal(day.totals().in, 0);
    assert.equal(day.totals().occupancy, 1);
    day.advance(at(3, 4, 1));
    assert.equal(day.totals().occupancy, 0);
    assert.equal(lastResetAt(at(3, 3), 4), at(2, 4));
  });

  it("restores a saved file of today, and refuses another day's", () => {
    const day = new FootfallDay(['door'], null, at(2, 8));
    day.add(crossing('in', at(2, 9)));
    const file = JSON.parse(JSON.stringify(day.toFile(at(2, 9))));
    const restarted = new FootfallDay(['door'], null, at(2, 10));
    assert.equal(restarted.restore(file, '20261202'), true);
    assert.equal(restarted.totals().in, 1);
    assert.equal(restarted.totals().occupancy, 1);
    assert.equal(restarted.totals().hourly.in[9], 1);
    const tomorrow = new FootfallDay(['door'], null, at(3, 10));
    assert.equal(tomorrow.restore(file, '20261203'), false);
    assert.equal(tomorrow.totals().in, 0);
    restarted.reset(at(2, 11));
    assert.equal(restarted.totals().in, 0);
  });
});

describe("areas in fractions of the frame (the editor's drawing, msg and environment)", () => {
  it('reads fractions, and pixels with a size', () => {
    const lines = [{ name: 'door', from: [0.5, 0.1], to: [0.5, 0.9] }];
    assert.deepEqual(areasSetting(JSON.stringify(lines), 'lines').lines[0].to, [0.5, 0.9]);
    const px = parseFrameAreas({
      lines: [{ name: 'door', from: [384, 0], to: [384, 576] }],
      size: [768, 576],
    });
    assert.deepEqual(px.lines[0].to, [0.5, 1]);
    assert.deepEqual(
      areasSetting(
        {
          zones: [
            {
              name: 'a',
              polygon: [
                [0, 0],
                [1, 0],
                [1, 1],
              ],
            },
          ],
        },
        'zones',
      ).zones.length,
      1,
    );
    assert.deepEqual(areasSetting('', 'zones'), { lines: [], zones: [] });
  });

  it('says what is wrong', () => {
    assert.throws(
      () => areasSetting('[{"name": "door", "from": [384, 0], "to": [384, 576]}]', 'lines'),
      /fractions/,
    );
    assert.throws(() => areasSetting('{not json', 'lines'), /not JSON/);
    assert.throws(() => areasSetting('[{"from": [0, 0], "to": [1, 1]}]', 'lines'), /needs a name/);
  });
});
