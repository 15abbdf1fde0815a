import assert from 'node:assert/strict';
import { sinceText, trackerStatusText, visitorsStatusText } from '../../../nodes/lib/control/count-labels';
import { parseLocalDate } from '../../../nodes/lib/time/local-time';

const at = (date: string, h: number, m: number) => parseLocalDate(date)! + (h * 60 + m) * 60_000;

describe('count labels: what the tracker and the heatmap count, and since when', () => {
  const now = at('2026-12-02', 15, 30);

  it('names the time of today, and the date of another day', () => {
    assert.equal(sinceText(at('2026-12-02', 14, 2), now), '14:02');
    assert.equal(sinceText(at('2026-12-01', 9, 5), now), '2026-12-01 09:05');
  });

  it("gives the tracker's IDs since it began, over every camera", () => {
    const since = at('2026-12-02', 14, 2);
    assert.equal(trackerStatusText([{ inView: 2, unique: 7, since }], now), '2 in view, 7 IDs since 14:02');
    assert.equal(trackerStatusText([{ inView: 1, unique: 1, since }], now), '1 in view, 1 ID since 14:02');
    assert.equal(
      trackerStatusText(
        [
          { inView: 2, unique: 7, since },
          { inView: 3, unique: 14, since: at('2026-12-02', 14, 10) },
        ],
        now,
      ),
      '2 cameras: 5 in view, 21 IDs since 14:02',
    );
  });

  it("gives the heatmap's visitors since the day's start", () => {
    const since = at('2026-12-02', 8, 0);
    assert.equal(
      visitorsStatusText([{ totalActivitySeconds: 8100, uniquePeople: 26, since }], now),
      '2 h 15 min of activity, 26 visitors since 08:00',
    );
    assert.equal(
      visitorsStatusText(
        [
          { totalActivitySeconds: 60, uniquePeople: 26, since },
          { totalActivitySeconds: 60, uniquePeople: 14, since: at('2026-12-02', 9, 0) },
        ],
        now,
      ),
      '2 cameras: 2 min of activity, 40 visitors since 08:00',
    );
  });
});
