import assert from 'node:assert/strict';
import type { TrackedFoot } from '../../../nodes/lib/counting/line-counter';
import { ZoneMonitor, ZoneStatistics } from '../../../nodes/lib/counting/zone-monitor';

const TILL = {
  name: 'till',
  polygon: [
    [0, 0],
    [100, 0],
    [100, 100],
    [0, 100],
  ] as Array<[number, number]>,
};

/** One person at 10 fps: inside (true) or outside (false) per frame. */
function visit(
  monitor: ZoneMonitor,
  inside: boolean[],
): Array<{ event: string; at: number; dwellSeconds?: number }> {
  return inside.flatMap((inZone, i) =>
    monitor.update([{ id: 1, footPoint: inZone ? [50, 50] : [150, 50] }], i * 100),
  );
}

const QUEUE_TILL = {
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
  const monitor = new ZoneMonitor([QUEUE_TILL], { inertiaSeconds: 1 });
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
describe('ZoneMonitor: visits and dwell in named zones', () => {
  it('enters and exits with the times of the first frame inside and outside, dwell between them', () => {
    const monitor = new ZoneMonitor([TILL]);
    const events = visit(monitor, [
      ...Array(10).fill(false),
      ...Array(50).fill(true),
      ...Array(20).fill(false),
    ]);
    assert.deepEqual(
      events.map((e) => [e.event, e.at, e.dwellSeconds]),
      [
        ['enter', 1000, undefined],
        ['exit', 6000, 5],
      ],
    );
    const s = monitor.statistics().till;
    assert.equal(s.visits, 1);
    assert.equal(s.medianDwellSeconds, 5);
    assert.ok(Math.abs(s.personSeconds - 5) < 0.11, `${s.personSeconds}`);
  });

  it('keeps one visit across a gap shorter than the inertia, and makes two across a longer one', () => {
    const short = new ZoneMonitor([TILL]);
    visit(short, [
      ...Array(30).fill(true),
      ...Array(5).fill(false),
      ...Array(30).fill(true),
      ...Array(20).fill(false),
    ]);
    assert.equal(short.statistics().till.visits, 1);
    const long = new ZoneMonitor([TILL]);
    visit(long, [
      ...Array(30).fill(true),
      ...Array(20).fill(false),
      ...Array(30).fill(true),
      ...Array(20).fill(false),
    ]);
    assert.equal(long.statistics().till.visits, 2);
  });

  it('makes no visit of a foot point brushing the edge for less than the inertia', () => {
    const monitor = new ZoneMonitor([TILL]);
    assert.deepEqual(
      visit(monitor, [...Array(5).fill(false), ...Array(5).fill(true), ...Array(5).fill(false)]),
      [],
    );
  });

  it('ends the visit of a person the tracker lost at the time last seen, and open visits at the end', () => {
    const monitor = new ZoneMonitor([TILL]);
    visit(monitor, Array(30).fill(true)); // seen until 2.9 s
    const later = monitor.update([{ id: 9, footPoint: [150, 50] }], 2900 + 7000);
    assert.deepEqual(
      later.map((e) => [e.event, e.at]),
      [['exit', 2900]],
    );
    const open = new ZoneMonitor([TILL]);
    visit(open, Array(30).fill(true));
    assert.deepEqual(
      open.closeAll(2900).map((e) => [e.event, e.dwellSeconds]),
      [['exit', 2.9]],
    );
    assert.equal(open.statistics().till.occupancy, 0);
  });

  it('counts people in a zone now', () => {
    const monitor = new ZoneMonitor([TILL]);
    for (let i = 0; i < 15; i++) {
      monitor.update(
        [
          { id: 1, footPoint: [10, 10] },
          { id: 2, footPoint: [90, 90] },
          { id: 3, footPoint: [200, 200] },
        ],
        i * 100,
      );
    }
    assert.equal(monitor.statistics().till.occupancy, 2);
  });
});

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
    const monitor = new ZoneMonitor([QUEUE_TILL]);
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
    const again = new ZoneMonitor([QUEUE_TILL]);
    assert.equal(again.restore(file, '20261203'), false);
    assert.equal(again.statistics().till.visits, 0);
    assert.equal(again.restore(JSON.parse(JSON.stringify(file)), '20261202'), true);
    assert.equal(again.statistics().till.visits, 3);
    assert.equal(again.statistics().till.medianDwellSeconds, 8);
    again.resetDay();
    assert.equal(again.statistics().till.visits, 0);
  });
});
