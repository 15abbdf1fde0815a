// Where downloaded assets (model weights, demo footage) are cached outside the work tree, so a
// fresh clone on the same machine does not download 135 MB again. Override with
// STORE_ANALYTICS_CACHE.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const cacheDir =
  process.env.STORE_ANALYTICS_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'node-red-contrib-store-analytics');

/** Demo and test footage: Debian opencv-doc's vtest.avi (768x576, 795 frames, 10 fps). */
export const demoClipPath = path.join(projectRoot, 'media', 'vtest.avi');

export async function sha256File(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

export async function isFileWithHash(file, sha256) {
  try {
    await stat(file);
  } catch {
    return false;
  }
  return (await sha256File(file)) === sha256;
}

/** Copies through a temporary name so a reader never sees half a file. */
export async function copyAtomically(from, to) {
  await mkdir(path.dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.tmp`;
  await copyFile(from, tmp);
  await rename(tmp, to);
}

/**
 * Makes `target` a verified copy of the asset: from the cache when it is there and intact, else
 * by calling `download(workDir)`, which returns the path of the fresh file inside the scratch
 * directory `workDir` (removed afterwards).
 */
export async function provideAsset({ name, target, sha256, download }) {
  if (await isFileWithHash(target, sha256)) {
    console.log(`${name}: ${path.relative(process.cwd(), target)} is present and verified`);
    return;
  }
  const cached = path.join(cacheDir, path.basename(target));
  if (!(await isFileWithHash(cached, sha256))) {
    console.log(`${name}: downloading into the cache ${cacheDir}`);
    await mkdir(cacheDir, { recursive: true });
    const work = await mkdtemp(path.join(tmpdir(), 'store-analytics-fetch-'));
    try {
      const fresh = await download(work);
      const got = await sha256File(fresh);
      if (got !== sha256) {
        throw new Error(`${name}: the downloaded file's sha256 is ${got}, expected ${sha256}; not using it`);
      }
      await copyAtomically(fresh, cached);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  await copyAtomically(cached, target);
  console.log(`${name}: ${path.relative(process.cwd(), target)} ready (sha256 verified)`);
}
