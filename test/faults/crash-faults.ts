import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HeatSnapshotMeta } from '../../nodes/lib/heatmap/heat-snapshot';
import type { HistoryAnswer } from '../../nodes/lib/history/history-query';
import { processesInGroup } from '../../nodes/lib/os/runtime-supervision';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { MINUTE_MS } from '../../nodes/lib/time/local-time';
import { demoClip } from '../../support/assets';
import { isRunning } from '../../support/node-red/node-red-process';
import { sleep, waitFor } from '../../support/processes';
import type { Fault, FaultContext } from './fault';
import { openStoreBox, Statistics, StoreBox } from './store-box';

const CAMERA = 'camera-1';
/** heatmap-store's crash checkpoint (CHECKPOINT_SECONDS): the first comes this long after the start. */
const CHECKPOINT_MS = 60000;
/** The heatmap hands its heat to the store every second: a checkpoint holds heat at most this old. */
const HANDOVER_MS = 1000;
/** A generous bound for "back within seconds" on a shared 2-core machine (measured: see the table). */
const BACK_WITHIN_MS = 30000;
const THUMBNAIL_DIR = /^store-analytics-thumbnails-(\d+)-/;

/** /statistics of one moment, as sampled every second while the box runs. */
interface Sample {
  at: number;
  total: number;
  visitors: number;
}

/** The camera's heat snapshot on disk (the last checkpoint or save): what a restart restores. */
function onDisk(box: StoreBox): HeatSnapshotMeta | null {
  try {
    const file = path.join(box.savedHeatmaps, dayFolder(Date.now()), `heatmap_${CAMERA}.json`);
    return JSON.parse(readFileSync(file, 'utf8')) as HeatSnapshotMeta;
  } catch {
    return null;
  }
}

/** The minutes history has written, by start: a minute is written within ~10 s of its end. */
async function writtenMinutes(box: StoreBox): Promise<Map<string, string>> {
  const asked = Date.now();
  const res = await fetch(`${box.url}/history?step=minute`);
  if (res.status !== 200) throw new Error(`/history answered ${res.status}`);
  const { rows } = (await res.json()) as HistoryAnswer;
  return new Map(
    rows
      .filter((r) => r.peopleMean !== null && Date.parse(r.time) + MINUTE_MS + 15000 <= asked)
      .map((r) => [r.time, JSON.stringify(r)]),
  );
}

/** Thumbnail socket directories in `tmp`, by the pid of the Node-RED that made them. */
function thumbnailDirs(tmp: string): Map<number, string> {
  const dirs = new Map<number, string>();
  for (const name of readdirSync(tmp)) {
    const pid = THUMBNAIL_DIR.exec(name)?.[1];
    if (pid) dirs.set(Number(pid), name);
  }
  return dirs;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Crashes the runtime `afterCheckpointMs` after a checkpoint and checks that the launcher brings it
 * back with the day: heat, visitors and history as they were, short of at most the last minute.
 */
async function crashAndCheck(
  ctx: FaultContext,
  box: StoreBox,
  tmp: string,
  samples: Sample[],
  how: 'SIGKILL' | 'abort',
  afterCheckpointMs: number,
): Promise<void> {
  const signal = how === 'abort' ? 'SIGABRT' : how;
  // This run's first checkpoint (what is on disk before it is what this run restored at its start).
  const since = Date.now();
  const checkpoint = await waitFor(
    () => {
      const meta = onDisk(box);
      return meta && meta.savedAt > since ? meta : null;
    },
    CHECKPOINT_MS + 30000,
    `a crash checkpoint before the ${signal}`,
  );
  await sleep(afterCheckpointMs);
  const historyBefore = await writtenMinutes(box);
  const before = await box.statistics();
  const mark = box.logMark();
  const ffmpegBefore = box.ffmpeg().map((p) => p.pid);
  const killedAt = Date.now();
  const dead = await box.crashRuntime(how);
  const restorable = onDisk(box);
  if (!restorable) throw new Error('nothing on disk to restore');
  ctx.log(`${signal} ${seconds(killedAt - checkpoint.savedAt)} after the checkpoint`);

  const serving = await waitFor(
    async () => (await box.statistics().catch(() => null)) && Date.now(),
    BACK_WITHIN_MS * 2,
    `/statistics after the ${signal}`,
  );
  const after = await box.waitForStatistics(
    (s: Statistics) =>
      s.camera !== null &&
      /^streaming/.test(s.cameraStatus) &&
      s.updatedAt > killedAt &&
      s.since === before.since,
    BACK_WITHIN_MS * 2,
    'the restored day, streaming again',
  );
  const restoredAt = Date.now();
  const report = box.crashSince(mark);
  // A native abort's last words on stderr are in the launcher's report of it.
  const lastWords = /\[supervisor\] +\| (terminate called .*)/.exec(box.logSince(mark))?.[1];
  ctx.check(
    report !== null && report.includes(signal) && (how !== 'abort' || lastWords !== undefined),
    `launcher: "${report?.replace(/ \(.*\)$/, '')} (...)"${lastWords ? `, its stderr in the report: "${lastWords}"` : ''}`,
  );
  ctx.check(
    serving - killedAt <= BACK_WITHIN_MS && restoredAt - killedAt <= BACK_WITHIN_MS,
    `back serving /statistics ${seconds(serving - killedAt)} after the ${signal}, streaming with the restored day after ${seconds(restoredAt - killedAt)}`,
  );

  // What the restart restored is the checkpoint on disk: it must be at most a minute older than the kill.
  const age = killedAt - restorable.savedAt;
  const restoredTotal = restorable.statistics.totalActivitySeconds;
  // The figures /statistics showed a minute (and the hand-over) before the kill: the restored ones
  // may not be lower. The newest sample at or before that moment.
  const minuteBefore = [...samples].reverse().find((s) => s.at <= killedAt - CHECKPOINT_MS - HANDOVER_MS);
  const lostTo = samples.filter((s) => s.at <= killedAt && s.total <= restoredTotal + 1e-6).at(-1);
  ctx.check(
    age <= CHECKPOINT_MS + HANDOVER_MS &&
      (!minuteBefore ||
        (restoredTotal >= minuteBefore.total - 1e-6 && restorable.visitors >= minuteBefore.visitors)),
    `restored the checkpoint of ${seconds(age)} before the kill: ${restoredTotal.toFixed(0)} of ${before.totalActivitySeconds.toFixed(0)} person-s, ${restorable.visitors} of ${before.uniquePeople} visitors (/statistics showed that ${lostTo ? seconds(killedAt - lostTo.at) : '?'} before the kill)`,
  );
  ctx.check(
    after.totalActivitySeconds >= restoredTotal - 1e-3 && after.uniquePeople >= restorable.visitors,
    `/statistics goes on from it: ${after.totalActivitySeconds.toFixed(0)} person-s, ${after.uniquePeople} visitors, the same day (since ${new Date(after.since).toLocaleTimeString()})`,
  );

  const historyAfter = await writtenMinutes(box);
  const changed = [...historyBefore].filter(([time, row]) => historyAfter.get(time) !== row);
  ctx.check(
    changed.length === 0,
    changed.length === 0
      ? `history: the ${historyBefore.size} minute(s) written before the kill kept as they were`
      : `history: ${changed.length} of ${historyBefore.size} minutes written before the kill changed or gone (${changed.map(([t]) => t).join(', ')})`,
  );

  // The new runtime's first ffmpeg start removes the socket directories of runtimes that are gone.
  const stale = await waitFor(
    () => (box.ffmpeg().length > 0 && !thumbnailDirs(tmp).has(dead) ? 'gone' : null),
    10000,
    'the dead runtime’s thumbnail socket directory to be removed',
  ).catch(() => thumbnailDirs(tmp).get(dead));
  const ffmpegLeft = ffmpegBefore.filter(isRunning);
  ctx.check(
    ffmpegLeft.length === 0 && stale === 'gone',
    `dead runtime ${dead}: ${ffmpegBefore.length} ffmpeg, ${ffmpegLeft.length} left running; thumbnail socket directory ${stale === 'gone' ? 'removed' : `left: ${stale}`}`,
  );
}

export const crashFaults: Fault[] = [
  {
    id: 'runtime-crash',
    fault:
      'Node-RED runtime killed (SIGKILL, as the OOM killer) 45 s after a crash checkpoint, then crashed by a native abort (abort() from inside: SIGABRT) 10 s after the next; started by npm start',
    expected:
      "npm start's supervisor starts it again within seconds; the day's heat, visitors and history come back with at most the last minute missing; no ffmpeg or thumbnail socket directory of a dead runtime left; after the stop nothing left",
    quick: true,
    timeoutMs: () => 330000,
    async run(ctx) {
      // A temporary directory of its own, so that every thumbnail socket directory in it is this box's.
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'runtime-crash-'));
      ctx.defer(() => rmSync(tmp, { recursive: true, force: true }));
      const box = await openStoreBox(ctx, { cameraUrl: demoClip(), env: { TMPDIR: tmp } });
      const samples: Sample[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const s = await box.statistics().catch(() => null);
          if (s && s.camera !== null) {
            samples.push({ at: Date.now(), total: s.totalActivitySeconds, visitors: s.uniquePeople });
          }
          await sleep(1000);
        }
      })();
      ctx.defer(async () => {
        sampling = false;
        await sampler;
      });

      await crashAndCheck(ctx, box, tmp, samples, 'SIGKILL', 45000);
      await crashAndCheck(ctx, box, tmp, samples, 'abort', 10000);
      ctx.check(box.errorsSince(0).length === 0, `${box.errorsSince(0).length} errors logged`);

      // A stop (SIGTERM to the launcher, as systemd or Ctrl-C): no restart, and nothing left.
      const runtimes = [...box.runtimes];
      const stopMark = box.logMark();
      const stopping = Date.now();
      const code = await box.stop();
      const running = runtimes.filter(isRunning);
      const inGroups = runtimes.flatMap((pid) => processesInGroup(pid) ?? []);
      const dirs = [...thumbnailDirs(tmp).values()];
      ctx.check(
        code === 0 &&
          running.length === 0 &&
          inGroups.length === 0 &&
          dirs.length === 0 &&
          !/starting Node-RED again|left running/.test(box.logSince(stopMark)),
        `stopped (SIGTERM) in ${seconds(Date.now() - stopping)}, exit ${code}, not restarted; of the ${runtimes.length} runtimes none running, ${inGroups.length} processes in their groups, ${box.ffmpegLeftBehind().length} ffmpeg, ${dirs.length} thumbnail socket directories left`,
      );
    },
  },
  {
    id: 'runtime-hangs-at-stop',
    fault: 'Node-RED hangs (SIGSTOP) and the launcher is then told to stop (SIGTERM, as systemd or Ctrl-C)',
    expected:
      'the launcher kills Node-RED and its ffmpeg at its 20 s deadline and exits; it does not restart it; nothing left',
    quick: true,
    timeoutMs: () => 150000,
    async run(ctx) {
      const box = await openStoreBox(ctx, { cameraUrl: demoClip() });
      await box.waitForStatistics(
        (s) => s.camera !== null && /^streaming/.test(s.cameraStatus),
        60000,
        'the camera to stream',
      );
      const runtime = box.runtimePid()!;
      const ffmpeg = box.ffmpeg().map((p) => p.pid);
      process.kill(runtime, 'SIGSTOP');
      box.killed = true; // its exit code is the launcher's kill, on purpose
      const mark = box.logMark();
      const stopping = Date.now();
      const code = await box.stop();
      const took = Date.now() - stopping;
      const left = [runtime, ...ffmpeg].filter(isRunning);
      const inGroup = processesInGroup(runtime) ?? [];
      ctx.check(
        took >= 19000 && took <= 30000 && /did not stop within 20 s: killing it/.test(box.logSince(mark)),
        `launcher: "${/\[supervisor\] (Node-RED did not stop.*)/.exec(box.logSince(mark))?.[1]}", exited after ${seconds(took)} with code ${code}`,
      );
      ctx.check(
        left.length === 0 && inGroup.length === 0 && !/starting Node-RED again/.test(box.logSince(mark)),
        `not restarted; ${left.length} of the runtime and its ${ffmpeg.length} ffmpeg running, ${inGroup.length} processes left in its group`,
      );
    },
  },
];
