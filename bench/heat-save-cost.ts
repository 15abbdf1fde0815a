#!/usr/bin/env node
/**
 * What one heatmap-store save costs, to choose how often the day is written (a crash loses what
 * came after the last write): the full save (the PNG drawn over the camera's picture, and the PNG,
 * JSON and NumPy files written atomically: temporary file, fsync, rename, fsync of the folder), and
 * the crash checkpoint (JSON and NumPy only, what a restart restores), as the node does them.
 * Measured on a snapshot the default flow saved on the demo clip, over a frame of the clip, in
 * process CPU (user + system, all threads; a busy machine stretches wall time, not this), with the
 * wall time and the longest the event loop was held up beside it.
 *
 *   npx tsx bench/heat-save-cost.ts <data/saved_heatmaps/YYYYMMDD/heatmap_camera-1.npy> [--saves 50]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { HeatGrid } from '../nodes/lib/heatmap/heat-grid';
import type { HeatSnapshotMeta } from '../nodes/lib/heatmap/heat-snapshot';
import { renderHeatOverPng } from '../nodes/lib/heatmap/overlay';
import type { RawPicture } from '../nodes/lib/image/raw-picture';
import { HeatSnapshotStore } from '../nodes/lib/storage/heat-snapshot-store';
import { decodeNpy } from '../nodes/lib/storage/npy';
import { findFfmpeg } from '../nodes/lib/video/ffmpeg-path';
import { packageRoot } from '../nodes/shared/package-root';
import { mean, percentile } from '../support/measure/samples';

const root = packageRoot(__dirname);

/** A frame of the clip as raw RGB at the grid's source size: what the heatmap sends as background. */
function clipPicture(width: number, height: number): RawPicture {
  const out = spawnSync(
    findFfmpeg()?.path ?? 'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      path.join(root, 'media', 'vtest.avi'),
      '-frames:v',
      '1',
      '-vf',
      `scale=${width}:${height}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { maxBuffer: 64 * 2 ** 20 },
  );
  if (out.status !== 0 || out.stdout.length !== width * height * 3) {
    throw new Error(`ffmpeg could not decode a frame of the clip: ${out.stderr.toString()}`);
  }
  return { width, height, pixels: out.stdout };
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { saves: { type: 'string', default: '50' } },
  });
  const npyFile = positionals[0];
  const saves = Number(values.saves);
  if (!npyFile || !npyFile.endsWith('.npy') || !(saves >= 1)) {
    throw new Error('usage: npx tsx bench/heat-save-cost.ts <heatmap_<camera>.npy> [--saves N]');
  }
  const meta = JSON.parse(readFileSync(npyFile.replace(/\.npy$/, '.json'), 'utf8')) as HeatSnapshotMeta;
  const grid = new HeatGrid(
    { sourceWidth: meta.sourceWidth, sourceHeight: meta.sourceHeight, cellSize: meta.cellSize },
    decodeNpy(readFileSync(npyFile)).data,
  );
  const background = clipPicture(meta.sourceWidth, meta.sourceHeight);
  // Beside the project, on the disk the data directory would be on (fsync is the disk's cost).
  mkdirSync(path.join(root, '.bench'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.bench', 'heat-save-'));
  const store = new HeatSnapshotStore(dir);
  const render: number[] = [];
  const write: number[] = [];
  const cpu: number[] = [];
  const wall: number[] = [];
  const dataCpu: number[] = [];
  const dataWall: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  try {
    for (let i = -3; i < saves; i++) {
      if (i === 0) loop.enable(); // after the warm-up (sharp's first call loads libvips' code)
      const cpu0 = cpuMs();
      const t0 = performance.now();
      const png = await renderHeatOverPng(grid, background);
      const t1 = performance.now();
      await store.save(grid, { ...meta, savedAt: Date.now() }, png);
      const t2 = performance.now();
      if (i < 0) continue;
      render.push(t1 - t0);
      write.push(t2 - t1);
      wall.push(t2 - t0);
      cpu.push(cpuMs() - cpu0);
    }
    loop.disable();
    for (let i = 0; i < saves; i++) {
      const cpu0 = cpuMs();
      const t0 = performance.now();
      await store.saveData(grid, { ...meta, savedAt: Date.now() });
      dataWall.push(performance.now() - t0);
      dataCpu.push(cpuMs() - cpu0);
    }
    const files = store.files(meta.cameraId, Date.now());
    const kb = (file: string) => Math.round(statSync(file).size / 1024);
    const round = (n: number) => Math.round(n * 10) / 10;
    console.log(
      JSON.stringify({
        grid: `${grid.cols}x${grid.rows} cells of ${grid.cellSize} px over ${meta.sourceWidth}x${meta.sourceHeight}`,
        saves,
        cpuMsMean: round(mean(cpu)),
        cpuMsP95: round(percentile(cpu, 95)),
        wallMsMedian: round(percentile(wall, 50)),
        renderWallMsMedian: round(percentile(render, 50)),
        writeWallMsMedian: round(percentile(write, 50)),
        eventLoopHeldMsMax: round(loop.max / 1e6),
        checkpointCpuMsMean: round(mean(dataCpu)),
        checkpointWallMsMedian: round(percentile(dataWall, 50)),
        filesKb: { png: kb(files.png), json: kb(files.json), npy: kb(files.npy) },
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
