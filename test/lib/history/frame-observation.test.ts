import assert from 'node:assert/strict';
import { observationOf } from '../../../nodes/lib/history/frame-observation';

describe('history: what a frame message tells history', () => {
  it('reads the people in view, the heatmap day, footfall and zones; a frame without its time takes now', () => {
    const obs = observationOf(
      'door',
      {
        tracks: [{}, {}],
        frame: { capturedAt: 1000 },
        heatmap: { startedAt: 0, statistics: { uniquePeople: 7, totalActivitySeconds: 3.5 } },
        footfall: { day: '2026-12-07', lines: { entrance: { in: 3, out: 1 } } },
        zones: { day: '2026-12-07', zones: { till: { occupancy: 1, visits: 2 } } },
      },
      5000,
    );
    assert.deepEqual(obs, {
      cameraId: 'door',
      at: 1000,
      peopleInView: 2,
      heat: { since: 0, visitors: 7, activitySeconds: 3.5 },
      footfall: { day: '2026-12-07', lines: { entrance: { in: 3, out: 1 } } },
      zones: {
        day: '2026-12-07',
        zones: { till: { occupancy: 1, visits: 2, dwells: 0, dwellSeconds: 0, personSeconds: 0 } },
      },
    });
    assert.deepEqual(observationOf('door', { tracks: [] }, 5000), {
      cameraId: 'door',
      at: 5000,
      peopleInView: 0,
    });
  });
});
