import assert from 'node:assert/strict';
import type { TrackedFoot } from '../../../nodes/lib/counting/line-counter';
import { parseRules, ThresholdWatch } from '../../../nodes/lib/counting/threshold-rules';
import { ZoneMonitor, ZoneStatistics } from '../../../nodes/lib/counting/zone-monitor';

const TILL = {
  name: 'till',
  queue: true,
  polygon: [
    [0, 0],
    [100, 0],
    [100, 100],
    [0, 100],
  ] as Array<[number, number]>,
};
const INSIDE: [number, number] = [50, 50];
const OUTSIDE: [number, number] = [300, 50];

/**
 * A till at 10 fps: person k arrives at k * arrivalEvery seconds and leaves when served; the till
 * serves one at a time, `service` seconds each. Returns the monitor and each person's true wait.
 */
function till(people: number, arrivalEvery: number, service: number, seconds: number) {
  const arrive = Array.from({ length: people }, (_, k) => k * arrivalEvery);
  const leave: number[] = [];
  for (let k = 0; k < people; k++) leave.push(Math.max(arrive[k], k > 0 ? leave[k - 1] : 0) + service);
  const monitor = new ZoneMonitor([TILL], { inertiaSeconds: 1 });
  const snapshots: Array<{ t: number; stats: ZoneStatistics }> = [];
  for (let f = 0; f <= seconds * 10; f++) {
    const t = f / 10;
    const tracks: TrackedFoot[] = [];
    for (let k = 0; k < people; k++) {
      if (t >= arrive[k] - 2 && t < leave[k] + 2)
        tracks.push({ id: k + 1, footPoint: t >= arrive[k] && t < leave[k] ? INSIDE : OUTSIDE });
    }
    monitor.update(tracks, f * 100);
    snapshots.push({ t, stats: monitor.statistics(f * 100).till });
  }
  return { monitor, snapshots, waits: leave.map((l, k) => l - arrive[k]), leave };
}

describe('ZoneMonitor queue mode: length, measured and estimated wait', () => {
  it('measures the wait of those who left, and estimates it for someone joining from the service interval', () => {
    // Arrivals every 5 s, 10 s at the till: the queue grows by one every 10 s.
    const { snapshots, waits, leave } = till(6, 5, 10, 40);
    const at = (t: number) => snapshots.find((s) => Math.abs(s.t - t) < 1e-6)!.stats;
    // At 35 s: persons 1-3 have left (after 10, 15, 20 s of waiting), 4 to 6 are in the queue.
    const s = at(35.5);
    assert.equal(s.queue!.length, 3);
    assert.deepEqual(leave.slice(0, 3), [10, 20, 30]);
    assert.equal(s.queue!.waitSeconds, waits[1]); // the median of 10, 15, 20
    // The till serves one every 10 s; the 3 ahead and the one joining take 4 intervals.
    assert.ok(Math.abs(s.queue!.estimatedWaitSeconds! - 40) < 0.5, `${s.queue!.estimatedWaitSeconds}`);
    // Person 4 arrived at 15 s: waiting 20.5 s now.
    assert.ok(Math.abs(s.queue!.longestWaitingSeconds - 20.5) < 0.2, `${s.queue!.longestWaitingSeconds}`);
  });

  it('has no wait before anyone has left, and 0 people queuing when empty', () => {
    const monitor = new ZoneMonitor([TILL]);
    monitor.update([{ id: 1, footPoint: OUTSIDE }], 0);
    const s = monitor.statistics(0).till.queue!;
    assert.deepEqual(s, {
      length: 0,
      waitSeconds: null,
      estimatedWaitSeconds: null,
      longestWaitingSeconds: 0,
    });
  });

  it('uses the measured wait as the service time when nobody was queuing behind', () => {
    // Arrivals every 30 s, 8 s each: never anyone behind.
    const { snapshots } = till(3, 30, 8, 70);
    const last = snapshots[snapshots.length - 1].stats.queue!;
    assert.equal(last.length, 0);
    assert.ok(Math.abs(last.waitSeconds! - 8) < 0.01);
    assert.ok(Math.abs(last.estimatedWaitSeconds! - 8) < 0.01);
  });

  it('restores a saved day, and only of that day', () => {
    const { monitor } = till(3, 30, 8, 70);
    const file = monitor.toFile('20261202', 0);
    const again = new ZoneMonitor([TILL]);
    assert.equal(again.restore(file, '20261203'), false);
    assert.equal(again.statistics().till.visits, 0);
    assert.equal(again.restore(JSON.parse(JSON.stringify(file)), '20261202'), true);
    assert.equal(again.statistics().till.visits, 3);
    assert.equal(again.statistics().till.medianDwellSeconds, 8);
    again.resetDay();
    assert.equal(again.statistics().till.visits, 0);
  });
});

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
