import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { demoClip, demoClipHalfSize } from '../../support/assets';
import { sleep } from '../../support/processes';
import type { StoreStatisticsAnswer } from '../../support/node-red/statistics-answer';
import type { Fault } from './fault';
import { FlowNode, openStoreBox, Statistics, StoreBox, withSecondCamera } from './store-box';

/** camera-1's numbers, in either shape of /statistics (one camera flat, several under `cameras`). */
function cameraOne(s: Statistics): Statistics | null {
  const several = (s as unknown as StoreStatisticsAnswer).cameras;
  const c = several ? several['camera-1'] : s.camera === 'camera-1' ? s : null;
  return c && c.updatedAt ? c : null;
}

/** The day file of a camera, as heatmap-store wrote it. */
function savedDay(
  box: StoreBox,
  cameraId: string,
): { startedAt: number; statistics: { totalActivitySeconds: number } } {
  return JSON.parse(
    readFileSync(path.join(box.savedHeatmaps, dayFolder(Date.now()), `heatmap_${cameraId}.json`), 'utf8'),
  );
}

export const cameraSetFaults: Fault[] = [
  {
    id: 'camera-added-removed',
    fault:
      'A second camera added to the running flow (full deploy), saved, removed again, then Node-RED restarted',
    expected:
      'the added camera gets its own numbers and saved day; once removed, its ffmpeg stops, its entry goes and it is not restored after the restart; camera-1 keeps its day throughout',
    quick: true,
    timeoutMs: () => 180000,
    async run(ctx) {
      const box0 = await openStoreBox(ctx, { cameraUrl: demoClip() });
      let box = box0;
      const first = cameraOne(await box.waitForStatistics((s) => !!cameraOne(s), 60000, 'camera-1 numbers'))!;
      await sleep(2000); // the heatmap hands its day to the store every second
      const original = (await box.flows()) as FlowNode[];
      await box.deploy(withSecondCamera(original, demoClipHalfSize()));
      const two = (await box.waitForStatistics(
        (s) => !!(s as unknown as StoreStatisticsAnswer).cameras?.['camera-2']?.updatedAt,
        60000,
        'camera-2 numbers',
      )) as unknown as StoreStatisticsAnswer;
      ctx.check(
        box.ffmpeg().length === 2 && two.store.cameras === 2,
        `added: ${box.ffmpeg().length} ffmpeg, ${two.store.cameras} cameras in /statistics`,
      );
      ctx.check(two.cameras['camera-1'].since === first.since, 'camera-1 kept its day across the deploy');
      const saved = await fetch(`${box.url}/save_heatmap?camera=camera-2`, { method: 'POST' });
      const files = ((await saved.json()) as { saved: Array<{ cameraId: string }> }).saved.map(
        (f) => f.cameraId,
      );
      ctx.check(
        saved.status === 200 && files.join() === 'camera-2' && savedDay(box, 'camera-2').startedAt > 0,
        `save of camera-2 answered ${saved.status}, wrote ${files.join(', ')}`,
      );

      await box.deploy(original);
      const one = await box.waitForStatistics(
        (s) => !(s as unknown as StoreStatisticsAnswer).cameras && !!cameraOne(s),
        30000,
        'camera-2 gone from /statistics',
      );
      await sleep(1000);
      ctx.check(box.ffmpeg().length === 1, `removed: ${box.ffmpeg().length} ffmpeg running`);
      ctx.check(one.since === first.since, 'camera-1 kept its day across the removal');

      // A restart finds camera-2's saved day on disk, but no camera-2 in the flow: it stays away.
      const userDir = box.userDir;
      await box.stop();
      box = await openStoreBox(ctx, { cameraUrl: demoClip(), userDir });
      const after = await box.waitForStatistics((s) => !!cameraOne(s), 60000, 'numbers after the restart');
      await sleep(3000);
      const later = await box.statistics();
      ctx.check(
        !(later as unknown as StoreStatisticsAnswer).cameras &&
          later.camera === 'camera-1' &&
          after.since === first.since,
        `after the restart: ${JSON.stringify(Object.keys((later as unknown as StoreStatisticsAnswer).cameras ?? { [String(later.camera)]: 1 }))}`,
      );
    },
  },
  {
    id: 'save-during-restore',
    fault:
      'Saves requested back to back from the moment Node-RED answers after a restart, while it restores the day',
    expected:
      'every save is answered once, and no file it writes holds less than the restored day (the save waits for the restored heat)',
    quick: true,
    timeoutMs: () => 120000,
    async run(ctx) {
      let box = await openStoreBox(ctx, { cameraUrl: demoClip() });
      await box.waitForStatistics((s) => !!cameraOne(s) && s.totalActivitySeconds > 20, 60000, 'some heat');
      await fetch(`${box.url}/save_heatmap`, { method: 'POST' });
      const day = savedDay(box, 'camera-1');
      const userDir = box.userDir;
      await box.stop();
      const boxStarting = openStoreBox(ctx, { cameraUrl: demoClip(), userDir });
      box = await boxStarting;
      const answers: number[] = [];
      let smallest = Infinity;
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${box.url}/save_heatmap`, { method: 'POST' });
        answers.push(res.status);
        await res.text();
        smallest = Math.min(smallest, savedDay(box, 'camera-1').statistics.totalActivitySeconds);
        await sleep(100);
      }
      ctx.check(
        answers.every((s) => s === 200),
        `${answers.length} saves answered: ${[...new Set(answers)].join(', ')}`,
      );
      ctx.check(
        smallest >= day.statistics.totalActivitySeconds - 1e-3,
        `smallest saved ${smallest.toFixed(1)} person-s, restored day ${day.statistics.totalActivitySeconds.toFixed(1)}`,
      );
      ctx.check(!/ERR_HTTP_HEADERS_SENT/.test(box.logSince()), 'no request answered twice');
    },
  },
];
