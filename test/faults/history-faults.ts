import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { HistoryAnswer } from '../../nodes/lib/history/history-query';
import { demoClip } from '../../support/assets';
import { sleep, waitFor } from '../../support/processes';
import type { Fault } from './fault';
import { fillDisk, freeDisk, smallDisk } from './storage-faults';
import { nodeOfType, openStoreBox, StoreBox } from './store-box';

/** A minute is written after it ends (ticks of 5 s), so one shows up within this. */
const MINUTE_WRITTEN_MS = 90000;

/** The minutes /history has of the camera: start (ms) -> covered seconds. */
async function minutesWritten(box: StoreBox): Promise<Map<number, number>> {
  const res = await fetch(`${box.url}/history?step=minute`);
  if (res.status !== 200) return new Map();
  const answer = (await res.json()) as HistoryAnswer;
  return new Map(
    answer.rows.filter((r) => r.peopleMean !== null).map((r) => [Date.parse(r.time), r.coveredSeconds]),
  );
}

/**
 * The history's disk refuses writes while the camera runs: a clear error in the log, the minutes
 * kept in memory, and, once the disk takes writes again, every minute of the outage written with
 * its frames (not as a gap).
 */
function historyDiskFault(
  id: string,
  fault: string,
  breakDisk: (dir: string) => void,
  mendDisk: (dir: string) => void,
  expectedError: RegExp,
  /** Break the disk before Node-RED starts (a read-only disk cannot be remounted under open files). */
  brokenAtStart: boolean,
  /** Keep it broken this long, so that whole minutes wait in memory. */
  holdMs: number,
  quick: boolean,
): Fault {
  return {
    id,
    fault,
    expected:
      'a clear error logged; minutes kept in memory; every minute of the outage written, with its frames, once the disk is back',
    quick,
    timeoutMs: () => 240000 + holdMs,
    async run(ctx) {
      const dir = smallDisk(ctx, 8192, 'history-disk-');
      const file = path.join(dir, 'history.db');
      if (brokenAtStart) breakDisk(dir);
      const startedAt = Date.now();
      const box = await openStoreBox(ctx, {
        cameraUrl: demoClip(),
        editFlow: (flow) => {
          nodeOfType(flow, 'analytics-history').file = file;
        },
      });
      const mark = brokenAtStart ? 0 : box.logMark(); // a disk broken at start is reported while starting
      if (!brokenAtStart) {
        await waitFor(() => existsSync(file), 30000, 'the history database to be made');
        breakDisk(dir);
      }
      const brokenAt = Date.now();
      const errors = await waitFor(
        () => {
          const lines = box.errorsSince(mark, /history/);
          return lines.length > 0 ? lines : null;
        },
        MINUTE_WRITTEN_MS,
        'an error from analytics-history',
      );
      // The minute that failed (or could not be written at all) ended after the disk broke.
      const lost = Math.floor(brokenAt / 60000) * 60000;
      const before = await minutesWritten(box);
      ctx.check(!before.has(lost), `the minute of ${new Date(lost).toISOString()} is not on disk yet`);

      const holdUntil = brokenAt + holdMs;
      while (Date.now() < holdUntil) await sleep(Math.min(5000, holdUntil - Date.now()));
      const logged = [...errors, ...box.errorsSince(mark, /history/)];
      const said = (re: RegExp) => logged.find((l) => re.test(l));
      ctx.check(
        Boolean(said(expectedError) && said(/kept in memory/)),
        `logged: "${(said(/kept in memory/) ?? logged[0]).replace(/^.*\[analytics-history:[^\]]*\] /, '').slice(0, 160)}"`,
      );
      mendDisk(dir);
      const mendedAt = Date.now();
      // Every minute held in memory: from the break to the last one ended before the disk was back.
      const lastHeld = Math.max(lost, Math.floor(mendedAt / 60000) * 60000 - 60000);
      const after = await waitFor(
        async () => {
          const m = await minutesWritten(box);
          return m.has(lost) && m.has(lastHeld) ? m : null;
        },
        MINUTE_WRITTEN_MS,
        'the kept minutes to be written',
      );
      ctx.check(
        (after.get(lost) ?? 0) > 0,
        `written ${((Date.now() - mendedAt) / 1000).toFixed(0)} s after the disk was back`,
      );
      // Minutes wholly inside the outage, after the camera's first minute, were seen whole.
      const firstFull = Math.ceil((startedAt + 30000) / 60000) * 60000; // Node-RED takes ~15 s to start
      const whole = [...after.entries()].filter(
        ([t]) => t >= Math.max(lost, firstFull) && t + 60000 <= mendedAt,
      );
      ctx.check(
        whole.every(([, covered]) => covered >= 55) && (holdMs === 0 || whole.length >= 1),
        `the outage's whole minutes, covered seconds: ${whole.map(([t, c]) => `${new Date(t).toISOString().slice(11, 16)} ${c}`).join(', ') || 'none'} (camera from ${new Date(startedAt).toISOString().slice(11, 19)}, disk back ${new Date(mendedAt).toISOString().slice(11, 19)})`,
      );
      ctx.check(box.errorsSince(0, /uncaught|crash/i).length === 0, 'no crash');
    },
  };
}

export const historyFaults: Fault[] = [
  historyDiskFault(
    'history-disk-full',
    'Disk of the history database full (8 MB tmpfs filled up), then space freed',
    fillDisk,
    freeDisk,
    /full|no space/i,
    false,
    0,
    true,
  ),
  historyDiskFault(
    'history-read-only',
    'Disk of the history database read-only when Node-RED starts (mounted ro), then writable',
    (dir) => execFileSync('mount', ['-o', 'remount,ro', dir]),
    (dir) => execFileSync('mount', ['-o', 'remount,rw', dir]),
    /disk read-only/,
    true,
    170000,
    false,
  ),
];
