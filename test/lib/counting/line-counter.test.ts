import assert from 'node:assert/strict';
import { LineCounter } from '../../../nodes/lib/counting/line-counter';

/** A vertical line at x = 100 from y = 0 to 200, drawn top to bottom: left -> right is "in". */
const DOOR = { name: 'door', from: [100, 0] as [number, number], to: [100, 200] as [number, number] };

/** Feeds one person's path (x per frame at 10 fps, y fixed) and returns the directions counted. */
function walk(
  counter: LineCounter,
  xs: number[],
  options: { id?: number; y?: number; start?: number } = {},
): string[] {
  const found: string[] = [];
  xs.forEach((x, i) => {
    const tracks = [{ id: options.id ?? 1, footPoint: [x, options.y ?? 100] as [number, number] }];
    for (const c of counter.update(tracks, (options.start ?? 0) + i * 100)) found.push(c.direction);
  });
  return found;
}

const steps = (from: number, to: number, n: number) =>
  Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

describe('LineCounter: people crossing a directed line', () => {
  it('counts left -> right across a line drawn top to bottom as in, and back as out', () => {
    const counter = new LineCounter([DOOR]);
    assert.deepEqual(walk(counter, steps(40, 160, 12)), ['in']);
    assert.deepEqual(counter.totals(), { door: { in: 1, out: 0 } });
    const back = new LineCounter([DOOR]);
    assert.deepEqual(walk(back, steps(160, 40, 12)), ['out']);
  });

  it('counts bottom -> top across a line drawn left to right as in (the documented convention)', () => {
    const counter = new LineCounter([{ name: 'h', from: [0, 100], to: [200, 100] }]);
    const found: string[] = [];
    steps(160, 40, 12).forEach((y, i) => {
      for (const c of counter.update([{ id: 1, footPoint: [100, y] }], i * 100)) found.push(c.direction);
    });
    assert.deepEqual(found, ['in']);
  });

  it('counts every crossing of a person walking back and forth, not the id once', () => {
    const counter = new LineCounter([DOOR]);
    const path = [...steps(40, 160, 8), ...steps(160, 40, 8), ...steps(40, 160, 8)];
    const found = walk(counter, path);
    // The last crossing is 0.2 s before the path ends: it counts once the person is gone for good.
    assert.deepEqual(found, ['in', 'out']);
    assert.deepEqual(
      counter.update([], path.length * 100 + 400).map((c) => c.direction),
      ['in'],
    );
    assert.deepEqual(counter.totals().door, { in: 2, out: 1 });
  });

  it('counts nothing for jitter on the line or a person standing on it', () => {
    const counter = new LineCounter([DOOR]);
    const jitter = Array.from({ length: 60 }, (_, i) => 100 + (i % 2 ? 8 : -8));
    assert.deepEqual(walk(counter, jitter), []);
    assert.deepEqual(walk(counter, Array(50).fill(100), { id: 2 }), []);
  });

  it('counts nothing for a step over the line and straight back', () => {
    const counter = new LineCounter([DOOR]);
    assert.deepEqual(walk(counter, [60, 70, 80, 90, 130, 80, 70, 60]), []);
  });

  it('counts nothing for a crossing beyond the end of the segment', () => {
    const counter = new LineCounter([DOOR]);
    assert.deepEqual(walk(counter, steps(40, 160, 12), { y: 260 }), []);
  });

  it('counts two people crossing together as two', () => {
    const counter = new LineCounter([DOOR]);
    let n = 0;
    steps(40, 160, 12).forEach((x, i) => {
      n += counter.update(
        [
          { id: 1, footPoint: [x, 80] },
          { id: 2, footPoint: [x + 5, 120] },
        ],
        i * 100,
      ).length;
    });
    assert.equal(n, 2);
  });

  it('does not count an id switch at the line: a new id appearing just past it has not crossed', () => {
    const counter = new LineCounter([DOOR]);
    // id 1 walks up to the line and is lost; id 2 appears just past it and walks on.
    walk(counter, steps(40, 95, 6), { id: 1 });
    assert.deepEqual(walk(counter, steps(125, 180, 6), { id: 2, start: 600 }), []);
    assert.deepEqual(counter.totals().door, { in: 0, out: 0 });
  });

  it('counts a crossing still waiting at the end of a video', () => {
    const counter = new LineCounter([DOOR]);
    walk(counter, steps(40, 130, 8));
    assert.deepEqual(
      counter.closeAll().map((c) => c.direction),
      ['in'],
    );
  });

  it('resets and restores the day', () => {
    const counter = new LineCounter([DOOR]);
    walk(counter, steps(40, 160, 12));
    counter.reset();
    assert.deepEqual(counter.totals().door, { in: 0, out: 0 });
    counter.restore({ door: { in: 7, out: 3 }, gone: { in: 1, out: 1 } });
    assert.deepEqual(counter.totals(), { door: { in: 7, out: 3 } });
  });
});
