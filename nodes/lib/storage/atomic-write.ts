import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that a reader (or a restart after a crash or power cut) sees either the old
 * file or the whole new one, never half of it: write a temporary file beside it, fsync it, rename
 * it over the target, fsync the directory. On failure the temporary file is removed and the
 * error (disk full, read-only, ...) is thrown for the caller to report and retry.
 */
export async function writeFileAtomic(target: string, data: Buffer | string): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // The rename itself is durable only once the directory entry is on disk.
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** `.<name>.<pid>.<8 hex>.tmp`, as writeFileAtomic names its temporary files. */
const TEMPORARY = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files that writes of another process left in `dir` (a process killed in
 * the middle of a save: its target file is still the previous, whole one). Returns how many.
 */
export async function removeUnfinishedWrites(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const stale = names.filter((name) => {
    const match = TEMPORARY.exec(name);
    return match !== null && Number(match[1]) !== process.pid;
  });
  await Promise.all(stale.map((name) => rm(path.join(dir, name), { force: true })));
  return stale.length;
}
