import assert from 'node:assert/strict';
import type { FrameTracks } from '../../../nodes/lib/counting/frame-tracks';
import { LineCounting } from '../../../nodes/lib/counting/line-counting';
import { lineCountingSettings } from '../../../nodes/lib/counting/line-counting-settings';
import { MemoryDayFiles } from '../../../support/counting/memory-day-files';

const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();
/** A door down the middle of a 200x200 frame: walking left to right is in. */
const DOOR = [{ name: 'door', from: [0.5, 0], to: [0.5, 1] }];

function setup(fields: Record<string, unknown> = {}, files = new MemoryDayFiles()) {
  const logged: string[] = [];
  const counting = new LineCounting(lineCountingSettings({ lines: JSON.stringify(DOOR), ...fields }), {
    fileOf: files.fileOf,
    log: (t) => logged.push(t),
    error: (t) => logged.push(`error: ${t}`),
  });
  return { counting, files, logged };
}

/** One person (id) walking from x0 to x1 across the frame, a frame every 100 ms from `start`. */
function walk(counting: LineCounting, cameraId: string, start: number, x0: number, x1: number, id = 1) {
  const results = [];
  for (let i = 0; i <= 12; i++) {
    const frame: FrameTracks = {
      cameraId,
      width: 200,
      height: 200,
      at: start + i * 100,
      tracks: [{ id, footPoint: [x0 + ((x1 - x0) * i) / 12, 100] }],
    };
    results.push(counting.count(frame));
  }
  return results;
}

describe("LineCounting: line-counter's policy", () => {
  it('counts crossings per camera, with the crossing payloads and the day of footfall', () => {
    const { counting } = setup();
    const results = [
      ...walk(counting, 'door-cam', at(2, 9), 20, 180),
      ...walk(counting, 'door-cam', at(2, 10), 180, 20),
    ];
    const crossings = results.flatMap((r) => r.crossings);
    assert.deepEqual(
      crossings.map((c) => [c.cameraId, c.line, c.direction]),
      [
        ['door-cam', 'door', 'in'],
        ['door-cam', 'door', 'out'],
      ],
    );
    assert.equal(new Date(crossings[0].time).getTime(), crossings[0].at);
    const { footfall } = results[results.length - 1];
    assert.equal(footfall.cameraId, 'door-cam');
    assert.equal(footfall.day, '20261202');
    assert.deepEqual(footfall.lines, { door: { in: 1, out: 1 } });
    assert.equal(footfall.hourly.in[9], 1);
    assert.equal(footfall.occupancy, 0);
    walk(counting, 'side-cam', at(2, 10), 20, 180);
    assert.equal(counting.statusText(), '2 cameras: 2 in, 1 out, 1 inside');
  });

  it('leaves occupancy out when the node does not keep it', () => {
    const { counting } = setup({ occupancy: false });
    const results = walk(counting, 'door-cam', at(2, 9), 20, 180);
    assert.equal(results[results.length - 1].footfall.occupancy, null);
    assert.equal(counting.statusText(), '1 in, 0 out');
  });

  it("takes the day back after a restart, and starts the next day at midnight of the frames' time", async () => {
    const files = new MemoryDayFiles();
    const first = setup({}, files).counting;
    walk(first, 'door-cam', at(2, 23, 50), 20, 180);
    await first.close();
    const { counting, logged } = setup({}, files);
    const again = walk(counting, 'door-cam', at(2, 23, 55), 20, 180);
    assert.equal(again[0].footfall.in, 1, 'the count before the restart is kept');
    assert.ok(logged.includes("door-cam: restored today's counts"));
    const next = walk(counting, 'door-cam', at(3, 0, 0), 180, 20);
    assert.equal(next[0].footfall.day, '20261203');
    assert.deepEqual(next[next.length - 1].footfall.lines, { door: { in: 0, out: 1 } });
    await counting.close();
    const finished = files.files.get('door-cam/20261202')!.content as { in: number; day: string };
    assert.deepEqual([finished.day, finished.in], ['20261202', 2]);
    assert.ok(logged.includes('door-cam: 20261202 ended with 2 in, 0 out'));
  });

  it('takes new lines from a message (counts of lines kept stay) and resets the cameras named', () => {
    const { counting } = setup();
    walk(counting, 'door-cam', at(2, 9), 20, 180);
    counting.setLines({
      lines: [
        { name: 'door', from: [100, 0], to: [100, 200] },
        { name: 'aisle', from: [0, 50], to: [200, 50] },
      ],
      size: [200, 200],
    });
    assert.equal(counting.lineCount, 2);
    const [frame] = walk(counting, 'door-cam', at(2, 9, 5), 20, 20);
    assert.deepEqual(frame.footfall.lines, { door: { in: 1, out: 0 }, aisle: { in: 0, out: 0 } });
    assert.throws(() => counting.setLines([{ name: 'x', from: [500, 0], to: [500, 9] }]), /fractions/);
    assert.deepEqual(counting.reset({ all: false, ids: ['door-cam'] }, at(2, 10)), ['door-cam']);
    assert.equal(walk(counting, 'door-cam', at(2, 10, 1), 20, 20)[0].footfall.in, 0);
  });
});

describe("line-counter's settings", () => {
  it('reads the fields, and says what is wrong', () => {
    const settings = lineCountingSettings({
      lines: JSON.stringify(DOOR),
      bandPx: '8',
      occupancyResetHour: '4',
    });
    assert.equal(settings.options.bandPx, 8);
    assert.equal(settings.occupancyResetHour, 4);
    assert.equal(settings.keepsOccupancy, true);
    assert.equal(lineCountingSettings({}).occupancyResetHour, null);
    assert.throws(
      () => lineCountingSettings({ lines: '{not json' }),
      /^Error: the lines cannot be read: .*not JSON/,
    );
    assert.throws(() => lineCountingSettings({ bandPx: 500 }), /check the settings: band 0-200 px/);
    assert.throws(
      () => lineCountingSettings({ occupancyResetHour: '24' }),
      /occupancy reset hour empty or 0-23/,
    );
  });
});
