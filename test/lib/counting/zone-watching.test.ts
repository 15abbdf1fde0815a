import assert from 'node:assert/strict';
import type { FrameTracks } from '../../../nodes/lib/counting/frame-tracks';
import { ZoneWatching } from '../../../nodes/lib/counting/zone-watching';
import { zoneWatchingSettings } from '../../../nodes/lib/counting/zone-watching-settings';
import { MemoryDayFiles } from '../../../support/counting/memory-day-files';

const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();
/** The left half of the frame, a till queue. */
const TILL = [
  {
    name: 'till',
    queue: true,
    polygon: [
      [0, 0],
      [0.5, 0],
      [0.5, 1],
      [0, 1],
    ],
  },
];
const RULES = [{ zone: 'till', measure: 'occupancy', above: 0, forSeconds: 1 }];

function setup(files = new MemoryDayFiles()) {
  const logged: string[] = [];
  const settings = zoneWatchingSettings({ zones: JSON.stringify(TILL), rules: JSON.stringify(RULES) });
  const watching = new ZoneWatching(settings, {
    fileOf: files.fileOf,
    log: (t) => logged.push(t),
    error: (t) => logged.push(`error: ${t}`),
  });
  return { watching, files, logged };
}

/** `seconds` of frames (10 a second from `start`) with one person standing at x (frame 200x200). */
function stand(watching: ZoneWatching, start: number, seconds: number, x: number, width = 200) {
  const results = [];
  for (let i = 0; i < seconds * 10; i++) {
    const frame: FrameTracks = {
      cameraId: 'till-cam',
      width,
      height: 200,
      at: start + i * 100,
      tracks: [{ id: 1, footPoint: [(x * width) / 200, 100] }],
    };
    results.push(watching.watch(frame));
  }
  return results;
}

describe("ZoneWatching: zone-monitor's policy", () => {
  it('gives the zones of each frame, the enters and exits, and the alerts raised and cleared', () => {
    const { watching } = setup();
    const results = [...stand(watching, at(2, 9), 3, 50), ...stand(watching, at(2, 9) + 3000, 2, 150)];
    const events = results.flatMap((r) => r.events);
    assert.deepEqual(
      events.map((e) => [e.cameraId, e.zone, e.event]),
      [
        ['till-cam', 'till', 'enter'],
        ['till-cam', 'till', 'exit'],
      ],
    );
    assert.equal(events[1].dwellSeconds, 3);
    const alerts = results.flatMap((r) => r.alerts);
    assert.deepEqual(
      alerts.map((a) => [a.cameraId, a.zone, a.state]),
      [
        ['till-cam', 'till', 'raised'],
        ['till-cam', 'till', 'cleared'],
      ],
    );
    assert.equal(new Date(alerts[0].time).getTime(), alerts[0].since);
    const last = results[results.length - 1].zones;
    assert.equal(last.cameraId, 'till-cam');
    assert.equal(last.day, '20261202');
    assert.equal(last.zones.till.visits, 1);
    assert.ok(last.zones.till.queue);
    assert.deepEqual(watching.statusOf(last), { text: 'till: 0 queuing, wait ~3 s', alerting: false });
    const inside = stand(watching, at(2, 9) + 6000, 3, 50);
    assert.deepEqual(watching.statusOf(inside[inside.length - 1].zones), {
      text: 'till: 1 queuing, wait ~6 s · 1 alert(s)',
      alerting: true,
    });
  });

  it('keeps the day over a redraw and a restart; at midnight the numbers start again, people inside stay inside', async () => {
    const files = new MemoryDayFiles();
    const first = setup(files).watching;
    stand(first, at(2, 23, 50), 3, 50);
    stand(first, at(2, 23, 50) + 3000, 2, 150, 400); // a new frame size: the zones are redrawn
    await first.close();
    const { watching, logged } = setup(files);
    const again = stand(watching, at(2, 23, 55), 2, 50);
    assert.equal(again[0].zones.zones.till.visits, 1, 'the visit before the restart is kept');
    assert.ok(logged.includes("till-cam: restored today's zone numbers"));
    const next = stand(watching, at(3, 0, 0), 1, 50);
    assert.equal(next[0].zones.day, '20261203');
    assert.equal(next[0].zones.zones.till.visits, 0);
    assert.equal(next[0].zones.zones.till.occupancy, 1, 'the person inside stays inside');
    await watching.close();
    const finished = files.files.get('till-cam/20261202')!.content as { zones: { till: { visits: number } } };
    assert.equal(finished.zones.till.visits, 2);
    assert.ok(logged.includes('till-cam: 20261202 ended with 2 visits'));
  });

  it('takes zones and rules from a message, and resets', () => {
    const { watching } = setup();
    stand(watching, at(2, 9), 2, 50);
    assert.throws(
      () => watching.setZones(TILL, [{ zone: 'door', measure: 'occupancy', above: 1 }]),
      /not one of/,
    );
    assert.equal(watching.zoneCount, 1);
    watching.setZones([...TILL, { ...TILL[0], name: 'exit', queue: false }], []);
    assert.equal(watching.zoneCount, 2);
    const [after] = stand(watching, at(2, 9, 1), 1, 50);
    assert.deepEqual(Object.keys(after.zones.zones), ['till', 'exit']);
    assert.equal(after.zones.zones.till.visits, 1);
    assert.deepEqual(watching.reset({ all: true }, at(2, 10)), ['till-cam']);
    assert.equal(stand(watching, at(2, 10), 1, 150)[0].zones.zones.till.visits, 0);
  });
});

describe("zone-monitor's settings", () => {
  it('reads the fields, and says what is wrong', () => {
    const settings = zoneWatchingSettings({ zones: JSON.stringify(TILL), inertiaSeconds: '2' });
    assert.equal(settings.options.inertiaSeconds, 2);
    assert.deepEqual(settings.rules, []);
    assert.throws(() => zoneWatchingSettings({ zones: '{not json' }), /^Error: the zones cannot be read/);
    assert.throws(
      () => zoneWatchingSettings({ zones: JSON.stringify(TILL), rules: '[' }),
      /the zones cannot be read: the alert rules are not JSON/,
    );
    assert.throws(() => zoneWatchingSettings({ inertiaSeconds: 31 }), /the inertia must be 0-30 s/);
  });
});
