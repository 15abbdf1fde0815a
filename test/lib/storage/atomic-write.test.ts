import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeUnfinishedWrites, writeFileAtomic } from '../../../nodes/lib/storage/atomic-write';
import { testTmp } from '../../../support/assets';

describe('atomic file writes', () => {
  const dir = path.join(testTmp, 'atomic');
  beforeEach(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  });
  after(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces a file whole and leaves no temporary file', async () => {
    const file = path.join(dir, 'nested', 'snapshot.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, Buffer.from('second'));
    assert.equal(readFileSync(file, 'utf8'), 'second');
    assert.deepEqual(readdirSync(path.dirname(file)), ['snapshot.json']);
  });

  it('reports a failed write and keeps the previous file', async function () {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions: use a path whose parent is a file instead.
      const blocker = path.join(dir, 'not-a-dir');
      writeFileSync(blocker, 'x');
      await assert.rejects(writeFileAtomic(path.join(blocker, 'snapshot.json'), 'data'), /ENOTDIR|EEXIST/);
      assert.deepEqual(readdirSync(dir), ['not-a-dir']);
      return;
    }
    const file = path.join(dir, 'snapshot.json');
    await writeFileAtomic(file, 'old');
    chmodSync(dir, 0o555);
    await assert.rejects(writeFileAtomic(file, 'new'), /EACCES/);
    assert.equal(readFileSync(file, 'utf8'), 'old');
  });

  it('removes what a killed process left half-written, not what this one is writing', async () => {
    const dir = path.join(testTmp, `unfinished-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const otherPid = process.pid + 1;
    writeFileSync(path.join(dir, 'heatmap_door.npy'), 'whole');
    writeFileSync(path.join(dir, `.heatmap_door.npy.${otherPid}.0badc0de.tmp`), 'half');
    writeFileSync(path.join(dir, `.heatmap_door.png.${process.pid}.12345678.tmp`), 'being written');
    writeFileSync(path.join(dir, 'notes.tmp'), 'not ours');
    assert.equal(await removeUnfinishedWrites(dir), 1);
    assert.deepEqual(readdirSync(dir).sort(), [
      `.heatmap_door.png.${process.pid}.12345678.tmp`,
      'heatmap_door.npy',
      'notes.tmp',
    ]);
    assert.equal(await removeUnfinishedWrites(path.join(dir, 'no-such-day')), 0);
  });
});
