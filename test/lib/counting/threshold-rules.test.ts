import assert from 'node:assert/strict';
import { parseRules, ThresholdWatch } from '../../../nodes/lib/counting/threshold-rules';
import { ZoneStatistics } from '../../../nodes/lib/counting/zone-monitor';

describe('ThresholdWatch: alerts an integrator wires without code', () => {
  const stats = (length: number): Record<string, ZoneStatistics> => ({
    till: {
      occupancy: length,
      visits: 0,
      meanDwellSeconds: null,
      medianDwellSeconds: null,
      dwells: 0,
      dwellSeconds: 0,
      personSeconds: 0,
      queue: { length, waitSeconds: null, estimatedWaitSeconds: null, longestWaitingSeconds: 0 },
    },
  });

  it('raises "queue > 4 for 60 s" once it has held 60 s, once, and clears when it drops', () => {
    const watch = new ThresholdWatch(
      parseRules([{ zone: 'till', measure: 'queueLength', above: 4, forSeconds: 60 }], ['till']),
    );
    const events = [];
    for (let t = 0; t <= 200; t++) {
      const length = t >= 10 && t < 150 ? 5 : t === 30 ? 3 : 2;
      events.push(...watch.update(stats(length), t * 1000));
    }
    assert.deepEqual(
      events.map((e) => [e.state, e.since, e.value]),
      [
        ['raised', 10000, 5],
        ['cleared', 150000, 2],
      ],
    );
  });

  it('does not raise when the value dips below within the time', () => {
    const watch = new ThresholdWatch([{ zone: 'till', measure: 'occupancy', above: 4, forSeconds: 60 }]);
    const events = [];
    for (let t = 0; t <= 200; t++) events.push(...watch.update(stats(t % 50 === 0 ? 1 : 6), t * 1000));
    assert.deepEqual(events, []);
  });

  it('refuses rules for zones not drawn and unknown measures', () => {
    assert.throws(
      () => parseRules([{ zone: 'door', measure: 'occupancy', above: 1 }], ['till']),
      /zone "door"/,
    );
    assert.throws(
      () => parseRules([{ zone: 'till', measure: 'people', above: 1 }], ['till']),
      /measure must be/,
    );
    assert.throws(
      () => parseRules([{ zone: 'till', measure: 'occupancy', above: 'x' }], ['till']),
      /"above"/,
    );
    assert.deepEqual(parseRules('', ['till']), []);
  });
});
