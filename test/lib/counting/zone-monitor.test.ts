import assert from 'node:assert/strict';
import { parseAreas } from '../../../nodes/lib/counting/areas';
import { ZoneMonitor } from '../../../nodes/lib/counting/zone-monitor';

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

describe('areas.json', () => {
  it('reads lines and zones, and says what is wrong', () => {
    const areas = parseAreas({ lines: [{ name: 'door', from: [1, 2], to: [3, 4] }], zones: [TILL] });
    assert.equal(areas.lines[0].name, 'door');
    assert.equal(areas.zones[0].polygon.length, 4);
    assert.throws(
      () => parseAreas({ lines: [{ name: 'door', from: [1, 2] }] }),
      /line 1 "to" must be a point/,
    );
    assert.throws(
      () =>
        parseAreas({
          zones: [
            {
              name: 'z',
              polygon: [
                [0, 0],
                [1, 1],
              ],
            },
          ],
        }),
      /at least 3 points/,
    );
    assert.throws(() => parseAreas({ lines: [DOOR_TWICE, DOOR_TWICE] }), /used twice/);
    assert.throws(() => parseAreas(null), /must be an object/);
  });
});

const DOOR_TWICE = { name: 'door', from: [0, 0], to: [1, 1] };
