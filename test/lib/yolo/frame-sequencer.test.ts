import assert from 'node:assert/strict';
import { FrameOutcome, FrameSequencer } from '../../../nodes/lib/yolo/frame-sequencer';

function sequencer(options = { maxWaitMs: 1000, maxQueued: 5 }) {
  const out: Array<[number, string]> = [];
  const seq = new FrameSequencer<number, string>(
    (frame, outcome: FrameOutcome<string>) =>
      out.push([frame, outcome.kind === 'detected' ? outcome.result : `skipped:${outcome.reason}`]),
    options,
  );
  return { seq, out };
}

describe('frame sequencer (every frame out once, in capture order)', () => {
  it('holds passed-over frames behind a detection until it comes back, then lets all out in order', () => {
    const { seq, out } = sequencer();
    const first = seq.pending(1, 0);
    seq.skipped(2, 'interval', 100);
    seq.skipped(3, 'interval', 200);
    assert.deepEqual(out, []);
    first.settle({ kind: 'detected', result: 'people' });
    assert.deepEqual(out, [
      [1, 'people'],
      [2, 'skipped:interval'],
      [3, 'skipped:interval'],
    ]);
    seq.skipped(4, 'no-motion', 300);
    assert.deepEqual(out[3], [4, 'skipped:no-motion']);
    assert.equal(seq.waiting, 0);
  });

  it('a later detection that finishes first waits for the earlier one', () => {
    const { seq, out } = sequencer();
    const a = seq.pending(1, 0);
    const b = seq.pending(2, 100);
    b.settle({ kind: 'detected', result: 'b' });
    assert.deepEqual(out, []);
    a.settle({ kind: 'skipped', reason: 'load' });
    assert.deepEqual(out, [
      [1, 'skipped:load'],
      [2, 'b'],
    ]);
  });

  it('bounds the wait: a stalled detection lets its frames go on without it, and a late answer is dropped', () => {
    const { seq, out } = sequencer();
    const stalled = seq.pending(1, 0);
    seq.skipped(2, 'interval', 500);
    seq.expire(900);
    assert.deepEqual(out, []);
    seq.expire(1001);
    assert.deepEqual(out, [
      [1, 'skipped:timeout'],
      [2, 'skipped:interval'],
    ]);
    stalled.settle({ kind: 'detected', result: 'late' });
    assert.equal(out.length, 2);
  });

  it('bounds the queue: never more than maxQueued frames wait, the oldest goes first', () => {
    const { seq, out } = sequencer({ maxWaitMs: 60000, maxQueued: 3 });
    seq.pending(1, 0);
    for (let f = 2; f <= 10; f++) seq.skipped(f, 'interval', f);
    assert.ok(seq.waiting <= 3);
    assert.deepEqual(
      out.map(([f]) => f),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].slice(0, out.length),
    );
  });

  it('flush lets every frame out, unanswered ones as skipped', () => {
    const { seq, out } = sequencer();
    seq.pending(1, 0);
    seq.skipped(2, 'interval', 1);
    seq.flush('closed');
    assert.deepEqual(out, [
      [1, 'skipped:closed'],
      [2, 'skipped:interval'],
    ]);
  });
});
