import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HeatSnapshotStore } from '../../nodes/lib/storage/heat-snapshot-store';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { demoClip, testTmp } from '../../support/assets';
import { sleep, waitFor } from '../../support/processes';
import type { Fault, FaultContext } from './fault';
import { nodeOfType, openStoreBox, Statistics, StoreBox } from './store-box';

const CAMERA = 'camera-1';
const FIRST_NUMBERS_MS = 60000;
/** heatmap-store retries a failed write within this (RETRY_SECONDS), plus a margin. */
const RETRY_WAIT_MS = 45000;

interface SaveAnswer {
  status: number;
  error: string;
}

async function save(box: StoreBox): Promise<SaveAnswer> {
  const res = await fetch(`${box.url}/save_heatmap`, { method: 'POST' });
  const body = (await res.json().catch(() => ({}))) as { error?: string; payload?: { error?: string } };
  return { status: res.status, error: body.error ?? body.payload?.error ?? '' };
}

async function numbers(box: StoreBox, after = 0): Promise<Statistics> {
  return box.waitForStatistics(
    (s) => s.camera !== null && s.updatedAt > after && s.totalActivitySeconds > 0,
    FIRST_NUMBERS_MS,
    'numbers with some heat',
  );
}

/** Today's saved activity (person-seconds) of the camera, read as the node would at start (throws when damaged). */
async function savedToday(dir: string): Promise<{ total: number; savedAt: number } | null> {
  const saved = await new HeatSnapshotStore(dir).restore(CAMERA, Date.now());
  if (!saved) return null;
  return { total: saved.meta.statistics.totalActivitySeconds, savedAt: saved.meta.savedAt };
}

/** A small tmpfs of its own (a disk that can be filled or made read-only), unmounted after the fault. */
export function smallDisk(ctx: FaultContext, sizeKb: number, prefix = 'disk-'): string {
  mkdirSync(testTmp, { recursive: true });
  const dir = mkdtempSync(path.join(testTmp, prefix));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`cannot mount a tmpfs for this fault (needs root): ${(err as Error).message}`);
  }
  ctx.defer(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Fills a small disk to the last byte (a file named filler). */
export function fillDisk(dir: string): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${path.join(dir, 'filler')}`, 'bs=64k'], { stdio: 'pipe' });
  } catch {
    // dd stops with "No space left on device": the disk is full, as wanted.
  }
}

/** Frees what fillDisk took. */
export const freeDisk = (dir: string): void => rmSync(path.join(dir, 'filler'));

/**
 * The disk goes bad while the camera runs: a save fails with a clear error, the heat stays in
 * memory and grows, the last good snapshot stays loadable, and once the disk is back the heat kept
 * in memory is written by the node's own retry.
 */
function diskFault(
  quick: boolean,
  id: string,
  fault: string,
  breakDisk: (dir: string) => void,
  mendDisk: (dir: string) => void,
  expectedError: RegExp,
): Fault {
  return {
    id,
    fault,
    expected:
      'save answers 500 with the reason; heat kept in memory; last snapshot stays loadable; written by the retry once the disk is back',
    quick,
    timeoutMs: () => 240000,
    async run(ctx) {
      const dir = smallDisk(ctx, 2048);
      const box = await openStoreBox(ctx, {
        cameraUrl: demoClip(),
        editFlow: (flow) => {
          nodeOfType(flow, 'heatmap-store').directory = dir;
        },
      });
      await numbers(box);
      const good = await save(box);
      const before = await savedToday(dir);
      ctx.check(good.status === 200 && before !== null, `first save ${good.status}`);

      breakDisk(dir);
      const mark = box.logMark();
      const failed = await save(box);
      ctx.check(
        failed.status === 500 && expectedError.test(failed.error),
        `save answered ${failed.status}: "${failed.error.replace(/^.* in \S+: /, '')}"`,
      );
      const logged = box.errorsSince(mark, /heatmap-store/);
      ctx.check(logged.length >= 1, `${logged.length} error logged`);
      const during = await savedToday(dir);
      ctx.check(during?.savedAt === before?.savedAt, 'last good snapshot still loads');

      await sleep(5000);
      const kept = await box.statistics();
      mendDisk(dir);
      const mendedAt = Date.now();
      const written = await waitFor(
        async () => {
          const s = await savedToday(dir);
          return s && s.savedAt > mendedAt - 1000 && s.total >= kept.totalActivitySeconds * 0.99 ? s : null;
        },
        RETRY_WAIT_MS,
        'the kept heat to be written',
      );
      ctx.check(
        true,
        `written ${((Date.now() - mendedAt) / 1000).toFixed(0)} s after the disk was back: ${written.total.toFixed(0)} person-s (${kept.totalActivitySeconds.toFixed(0)} in memory when mended)`,
      );
      ctx.check(box.errorsSince(0, /uncaught|crash/i).length === 0, 'no crash');
    },
  };
}

/** Every snapshot file of today still reads back (npy shape matches its JSON). */
async function allLoadable(dir: string): Promise<string | null> {
  try {
    const saved = await savedToday(dir);
    if (!saved) return 'nothing saved';
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export const storageFaults: Fault[] = [
  // The test command keeps the full disk; the read-only disk takes the same retry path (npm run faults).
  diskFault(
    false,
    'store-read-only',
    'Heat store directory becomes read-only while running (remount ro), then writable again',
    (dir) => execFileSync('mount', ['-o', 'remount,ro', dir]),
    (dir) => execFileSync('mount', ['-o', 'remount,rw', dir]),
    /read-only file system/i,
  ),
  diskFault(
    true,
    'store-disk-full',
    'Disk of the heat store full (2 MB tmpfs filled up), then space freed',
    fillDisk,
    freeDisk,
    /no space left on device/i,
  ),
  {
    id: 'kill-during-save',
    fault: 'Node-RED killed (SIGKILL) while saving, 5 times at random moments',
    expected: 'every snapshot on disk stays loadable; the next start restores the day; nothing corrupted',
    quick: false,
    timeoutMs: () => 600000,
    async run(ctx) {
      const kills = 5;
      let userDir: string | undefined;
      let dir = '';
      let lastTotal = 0;
      let unfinished = 0;
      for (let round = 1; round <= kills; round++) {
        const box = await openStoreBox(ctx, { cameraUrl: demoClip(), userDir });
        userDir = box.userDir;
        dir = box.savedHeatmaps;
        const s = await numbers(box);
        if (round > 1) {
          ctx.check(
            s.totalActivitySeconds >= lastTotal * 0.99,
            `start ${round}: restored ${s.totalActivitySeconds.toFixed(0)} of ${lastTotal.toFixed(0)} person-s saved`,
          );
        }
        // Saves back to back (three files each), killed somewhere in the middle.
        let saving = true;
        const saver = (async () => {
          while (saving) await save(box).catch(() => undefined);
        })();
        await sleep(500 + Math.random() * 2500);
        await box.kill();
        saving = false;
        await saver;
        unfinished += readdirSync(path.join(dir, dayFolder(Date.now()))).filter((n) =>
          n.endsWith('.tmp'),
        ).length;
        const problem = await allLoadable(dir);
        if (problem) ctx.check(false, `after kill ${round}: ${problem}`);
        lastTotal = (await savedToday(dir))?.total ?? 0;
      }
      ctx.check(true, `${kills} kills, every snapshot loadable after each`);
      const box = await openStoreBox(ctx, { cameraUrl: demoClip(), userDir });
      const s = await numbers(box);
      ctx.check(
        s.totalActivitySeconds >= lastTotal * 0.99,
        `final start restored ${s.totalActivitySeconds.toFixed(0)} of ${lastTotal.toFixed(0)} person-s`,
      );
      const leftovers = readdirSync(path.join(dir, dayFolder(Date.now()))).filter((n) => n.endsWith('.tmp'));
      ctx.check(
        leftovers.length === 0,
        `${unfinished} unfinished temporary files after the kills, ${leftovers.length} left after the next start`,
      );
    },
  },
  {
    id: 'damaged-snapshot-at-start',
    fault: "Today's snapshot truncated (NumPy file) and garbled (JSON) before a start",
    expected: 'each damaged file is reported and skipped; the flow runs; the next save replaces it',
    quick: true,
    timeoutMs: () => 240000,
    async run(ctx) {
      const first = await openStoreBox(ctx, { cameraUrl: demoClip() });
      await numbers(first);
      await save(first);
      await first.stop();
      const day = path.join(first.savedHeatmaps, dayFolder(Date.now()));
      // A second camera's files, garbled, and this camera's data cut short.
      writeFileSync(path.join(day, 'heatmap_door.json'), '{"cameraId": "door", "startedAt": 17');
      truncateSync(path.join(day, `heatmap_${CAMERA}.npy`), 100);

      const box = await openStoreBox(ctx, { cameraUrl: demoClip(), userDir: first.userDir });
      const startedAt = Date.now();
      const reported = await waitFor(
        () => {
          const errors = box.errorsSince(0, /heatmap-store/);
          return errors.length >= 2 ? errors : null;
        },
        20000,
        'both damaged files to be reported',
      );
      ctx.check(
        reported.some((l) => /heatmap_door\.json is unreadable/.test(l)) &&
          reported.some((l) => /heatmap_camera-1\.npy is damaged/.test(l)),
        `reported: ${reported.map((l) => l.replace(/^.*\] /, '').replace(/\/\S*\//g, '')).join(' / ')}`,
      );
      const s = await numbers(box, startedAt);
      ctx.check(s.totalActivitySeconds > 0, 'flow runs, numbers from a fresh day');
      const saved = await save(box);
      const problem = await allLoadable(box.savedHeatmaps);
      ctx.check(saved.status === 200 && problem === null, `next save ${saved.status}, loads again`);
    },
  },
];
