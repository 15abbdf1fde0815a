import assert from 'node:assert/strict';
import { CameraDays, DayBook } from '../../../nodes/lib/counting/camera-days';
import { MemoryDayFile, MemoryDayFiles } from '../../../support/counting/memory-day-files';

const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();

/** A book that counts frames and says what was asked of it. */
class CountingBook implements DayBook {
  frames = 0;
  readonly calls: string[] = [];

  toFile(day: string) {
    return { day, frames: this.frames };
  }
  restore(file: unknown, day: string): boolean {
    const f = file as { day?: string; frames?: number } | null;
    if (f?.day !== day) return false;
    this.frames = f.frames ?? 0;
    return true;
  }
  startDay(day: string): void {
    this.calls.push(`start ${day}`);
    this.frames = 0;
  }
  reset(): void {
    this.calls.push('reset');
    this.frames = 0;
  }
  draw(width: number, height: number): void {
    this.calls.push(`draw ${width}x${height}`);
  }
  summary(): string {
    return `${this.frames} frames`;
  }
}

function setup() {
  const files = new MemoryDayFiles();
  const logged: string[] = [];
  const errors: string[] = [];
  const days = new CameraDays<CountingBook>({
    what: 'frames',
    newBook: () => new CountingBook(),
    fileOf: files.fileOf,
    log: (t) => logged.push(t),
    error: (t) => errors.push(t),
  });
  const frame = (cameraId: string, when: number, width = 768, height = 576) => {
    const camera = days.dayOf(cameraId, when, width, height);
    camera.book.frames++;
    days.save(camera);
    return camera;
  };
  return { files, logged, errors, days, frame };
}

describe("CameraDays: a counting node's days per camera (line-counter and zone-monitor)", () => {
  it("opens a camera's day on its first frame, drawn at its size, with the day's file taken back", () => {
    const { files, logged, days } = setup();
    files.files.set('door/20261202', new MemoryDayFile({ day: '20261202', frames: 41 }));
    const camera = days.dayOf('door', at(2, 9), 768, 576);
    assert.equal(camera.day, '20261202');
    assert.equal(camera.book.frames, 41);
    assert.deepEqual(camera.book.calls, ['draw 768x576']);
    assert.deepEqual(logged, ["door: restored today's frames"]);
    // The same size draws nothing again; a new size redraws, and so does every camera after redrawAll.
    days.dayOf('door', at(2, 9, 1), 768, 576);
    days.dayOf('door', at(2, 9, 2), 1280, 720);
    days.redrawAll();
    days.dayOf('door', at(2, 9, 3), 1280, 720);
    assert.deepEqual(camera.book.calls, ['draw 768x576', 'draw 1280x720', 'draw 1280x720']);
    assert.equal(camera.book.frames, 41, 'a redraw keeps the day');
  });

  it("takes the day from the frame's capture time, not the clock: a frame from before midnight opens that day", () => {
    const { days } = setup();
    // Handled after midnight (now), captured before it: it belongs to the day it was captured on.
    const camera = days.dayOf('door', at(2, 23, 59), 768, 576);
    assert.equal(camera.day, '20261202');
  });

  it('ends the day at midnight: the finished day written whole and closed, the new day in a file of its own', async () => {
    const { files, logged, frame } = setup();
    frame('door', at(2, 23, 58));
    frame('door', at(2, 23, 59));
    const before = files.files.get('door/20261202')!;
    const camera = frame('door', at(3, 0, 0));
    assert.equal(camera.day, '20261203');
    assert.ok(camera.book.calls.includes('start 20261203'));
    await files.flushAll();
    assert.ok(before.closed);
    assert.deepEqual(before.content, { day: '20261202', frames: 2 });
    assert.deepEqual(files.files.get('door/20261203')!.content, { day: '20261203', frames: 1 });
    assert.match(logged.join('\n'), /door: 20261202 ended with 2 frames/);
  });

  it('never reopens a finished day: a late frame of the day before counts into the current one', async () => {
    const { files, frame } = setup();
    frame('door', at(3, 0, 1));
    const camera = frame('door', at(2, 23, 59));
    assert.equal(camera.day, '20261203');
    assert.equal(camera.book.frames, 2);
    await files.flushAll();
    assert.deepEqual(files.opened, ['door/20261203']);
  });

  it('starts the next day after days without frames (a camera off over the weekend)', () => {
    const { frame } = setup();
    frame('door', at(4, 18));
    assert.equal(frame('door', at(7, 8)).day, '20261207');
  });

  it('resets the cameras selected, on disk at once, and closes every file', async () => {
    const { files, days, frame } = setup();
    frame('door', at(2, 9));
    frame('till', at(2, 9));
    frame('till', at(2, 9, 1));
    assert.deepEqual(days.reset({ all: false, ids: ['till', 'nowhere'] }, at(2, 10)), ['till']);
    await Promise.resolve();
    assert.deepEqual(files.files.get('till/20261202')!.content, { day: '20261202', frames: 0 });
    assert.ok(files.files.get('door/20261202')!.dirty);
    assert.deepEqual(days.reset({ all: true }, at(2, 11)), ['door', 'till']);
    await days.close();
    assert.equal(days.size, 0);
    assert.ok([...files.files.values()].every((f) => f.closed && !f.dirty));
  });

  it('starts from 0 when the saved day cannot be read, and says why', () => {
    const { files, errors, days } = setup();
    files.files.set('door/20261202', new MemoryDayFile(new Error('door.json is damaged (not JSON)')));
    const camera = days.dayOf('door', at(2, 9), 768, 576);
    assert.equal(camera.book.frames, 0);
    assert.deepEqual(errors, ['door: door.json is damaged (not JSON)']);
  });
});
