import assert from 'node:assert/strict';
import { DEFAULT_HEAT_OPTIONS } from '../../../nodes/lib/heatmap/heat-accumulator';
import type { HeatSnapshot } from '../../../nodes/lib/heatmap/heat-snapshot';
import { StoreHeat } from '../../../nodes/lib/heatmap/store-heat';
import type { SavedFiles } from '../../../nodes/lib/storage/heat-snapshot-store';
import { SnapshotWriter } from '../../../nodes/lib/storage/snapshot-writer';

const ALL = { all: true } as const;

/** A camera's snapshot after `seconds` of one person standing, started at `start`. */
function snapshotOf(cameraId: string, start: number, seconds: number, savedAt: number): HeatSnapshot {
  const store = new StoreHeat(DEFAULT_HEAT_OPTIONS);
  for (let i = 0; i <= seconds * 10; i++) {
    store.addFrame({
      cameraId,
      width: 768,
      height: 576,
      footPoints: [[300, 300]],
      at: start + i * 100,
      now: 0,
    });
  }
  return store.snapshots(ALL, savedAt)[0];
}

/** A writer whose disk is a list (and `data` the checkpoints' list); `fail` makes writes throw. */
function writerWithDisk(options: { graceMs?: number; now?: () => number } = {}) {
  const disk: HeatSnapshot[] = [];
  const data: HeatSnapshot[] = [];
  const state = { fail: false };
  const writer = new SnapshotWriter({
    directory: '/heat',
    restoreGraceMs: options.graceMs ?? 30_000,
    now: options.now,
    write: async (s): Promise<SavedFiles> => {
      if (state.fail) throw new Error('ENOSPC: no space left on device');
      disk.push(s);
      return { npy: `${s.meta.cameraId}.npy`, png: '', json: '' };
    },
    writeData: async (s) => {
      if (state.fail) throw new Error('ENOSPC: no space left on device');
      data.push(s);
    },
  });
  return { writer, disk, data, state };
}

describe('SnapshotWriter: what heatmap-store writes, and when', () => {
  const now = Date.now();

  it('writes the latest snapshot per camera once, and only what a save names', async () => {
    const { writer, disk } = writerWithDisk();
    writer.offer([snapshotOf('door', now, 1, now + 1000)], 'periodic');
    writer.offer([snapshotOf('door', now, 2, now + 2000)], 'periodic');
    const tillKeys = writer.offer([snapshotOf('till', now, 1, now + 2000)], 'save');
    const first = await writer.flush(tillKeys);
    assert.deepEqual(
      first.saved.map((s) => s.cameraId),
      ['till'],
    );
    const rest = await writer.flush();
    assert.deepEqual(
      rest.saved.map((s) => s.cameraId),
      ['door'],
    );
    assert.equal(disk.filter((s) => s.meta.cameraId === 'door').length, 1, 'only the latest of door');
    assert.equal((await writer.flush()).saved.length, 0, 'nothing twice');
  });

  it('keeps a failed write in memory and writes it at the next try', async () => {
    const { writer, disk, state } = writerWithDisk();
    writer.offer([snapshotOf('door', now, 1, now + 1000)], 'save');
    state.fail = true;
    const failed = await writer.flush();
    assert.match(failed.failed[0].message, /could not save the heatmap of door in \/heat: ENOSPC/);
    assert.equal(writer.unwritten, 1);
    state.fail = false;
    assert.equal((await writer.flush()).saved.length, 1);
    assert.equal(disk.length, 1);
  });

  it('does not let a snapshot without the restored heat replace the restored day', async () => {
    let clock = now;
    const { writer, disk } = writerWithDisk({ now: () => clock });
    const restored = snapshotOf('door', now - 60_000, 5, now - 10_000);
    writer.markRestored(restored);
    // The heatmap had frames before it took the restored day: its snapshot holds less.
    writer.offer([snapshotOf('door', now, 1, now + 1000)], 'periodic');
    assert.equal((await writer.flush()).saved.length, 0, 'held back');
    // Once it holds the restored heat (started at the restored day's start), it is written.
    writer.offer([{ ...snapshotOf('door', now - 60_000, 6, now + 2000) }], 'periodic');
    assert.equal((await writer.flush()).saved.length, 1);
    assert.equal(disk.length, 1);
    // A heatmap that never takes it: after the grace, written anyway, with a warning.
    const other = writerWithDisk({ now: () => clock });
    other.writer.markRestored(restored);
    other.writer.offer([snapshotOf('door', now, 1, now + 1000)], 'periodic');
    clock += 31_000;
    const late = await other.writer.flush();
    assert.equal(late.saved.length, 1);
    assert.match(late.warnings[0], /did not take the restored heat/);
  });

  it('has a save made while the restore is in flight wait for the restored heat, then answer once', async () => {
    const { writer, disk } = writerWithDisk({ graceMs: 5000 });
    writer.markRestored(snapshotOf('door', now - 60_000, 5, now - 10_000));
    const keys = writer.offer([snapshotOf('door', now, 1, now + 1000)], 'save');
    const answer = writer.flush(keys);
    let answered = false;
    void answer.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!answered, 'waits for the restored heat');
    writer.offer([snapshotOf('door', now - 60_000, 6, now + 2000)], 'periodic');
    const result = await answer;
    assert.equal(result.saved.length, 1);
    assert.equal(disk.length, 1);
    assert.equal(disk[0].meta.startedAt, now - 60_000, 'the day with the restored heat was written');
  });

  it('writes a reset at once, even right after a restore', async () => {
    const { writer, disk } = writerWithDisk();
    writer.markRestored(snapshotOf('door', now - 60_000, 5, now - 10_000));
    const keys = writer.offer([snapshotOf('door', now, 0, now)], 'reset');
    assert.equal((await writer.flush(keys)).saved.length, 1);
    assert.equal(disk.length, 1);
  });

  it('stops a waiting save when the node closes, and keeps the restored day on disk', async () => {
    const { writer, disk } = writerWithDisk({ graceMs: 30_000 });
    writer.markRestored(snapshotOf('door', now - 60_000, 5, now - 10_000));
    const keys = writer.offer([snapshotOf('door', now, 1, now + 1000)], 'save');
    const waiting = writer.flush(keys);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    writer.close();
    const closing = await writer.flush(undefined, { wait: false });
    await waiting;
    assert.ok(Date.now() - started < 1000, 'close is not held up by the 30 s grace');
    assert.equal(
      closing.saved.length + disk.length,
      0,
      'a snapshot without the restored heat is not written',
    );
  });

  it('keeps a save or reset deliberate when a periodic snapshot follows it before the write', async () => {
    const { writer, disk } = writerWithDisk();
    writer.markRestored(snapshotOf('door', now - 60_000, 5, now - 10_000));
    writer.offer([snapshotOf('door', now, 0, now)], 'reset');
    writer.offer([snapshotOf('door', now, 1, now + 1000)], 'periodic');
    // Still a reset: written despite the restore (a periodic one would be held back).
    assert.equal((await writer.flush()).saved.length, 1);
    assert.equal(disk[0].meta.savedAt, now + 1000, 'the newer snapshot is the one written');
  });

  it('writes a finished day under its own date, then forgets it', async () => {
    const { writer, disk } = writerWithDisk();
    const yesterday = now - 86_400_000;
    writer.offer([snapshotOf('door', yesterday, 2, yesterday + 3000)], 'day-end');
    writer.offer([snapshotOf('door', now, 1, now + 1000)], 'periodic');
    assert.equal((await writer.flush()).saved.length, 2);
    assert.equal(disk.length, 2);
    assert.equal(writer.unwritten, 0);
    assert.equal((await writer.flush()).saved.length, 0, 'the finished day is not written again');
  });

  it('checkpoints the data of changed heat between autosaves, once, and leaves the full write to the autosave', async () => {
    const { writer, disk, data } = writerWithDisk();
    writer.offer(
      [snapshotOf('door', now, 1, now + 1000), snapshotOf('till', now, 1, now + 1000)],
      'periodic',
    );
    assert.deepEqual((await writer.checkpoint()).written, ['door', 'till']);
    assert.deepEqual((await writer.checkpoint()).written, [], 'nothing changed since');
    writer.offer([snapshotOf('door', now, 2, now + 2000)], 'periodic');
    assert.deepEqual((await writer.checkpoint()).written, ['door'], 'only what changed');
    assert.deepEqual(
      data.map((s) => s.meta.savedAt),
      [now + 1000, now + 1000, now + 2000],
    );
    assert.equal(disk.length, 0, 'no full write (no picture) by a checkpoint');
    // The autosave still writes everything whole, picture included, the checkpointed heat too.
    assert.equal((await writer.flush()).saved.length, 2);
    assert.deepEqual((await writer.checkpoint()).written, [], 'all on disk');
  });

  it('keeps a failed checkpoint for the next one, and holds back heat without the restored day', async () => {
    let clock = now;
    const { writer, data, state } = writerWithDisk({ now: () => clock });
    writer.markRestored(snapshotOf('door', now - 60_000, 5, now - 10_000));
    writer.offer([snapshotOf('door', now, 1, now + 1000)], 'periodic');
    assert.deepEqual(
      (await writer.checkpoint()).written,
      [],
      'held back: it would replace the day with less',
    );
    writer.offer([snapshotOf('door', now - 60_000, 6, now + 2000)], 'periodic');
    state.fail = true;
    const failed = await writer.checkpoint();
    assert.match(failed.failed[0].message, /could not write the crash checkpoint of door in \/heat: ENOSPC/);
    state.fail = false;
    clock += 60_000;
    assert.deepEqual((await writer.checkpoint()).written, ['door']);
    assert.equal(data.length, 1);
    assert.equal(data[0].meta.startedAt, now - 60_000, 'the day with the restored heat');
  });
});
