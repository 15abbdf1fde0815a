import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HeatGrid } from '../heatmap/heat-grid';
import type { HeatSnapshot, HeatSnapshotMeta } from '../heatmap/heat-snapshot';
import { dayFolder } from '../time/local-day';
import { removeUnfinishedWrites, writeFileAtomic } from './atomic-write';
import { decodeNpy, encodeNpy } from './npy';
import { safeName } from './safe-name';

export interface SavedFiles {
  npy: string;
  png: string;
  json: string;
}

/**
 * Heat snapshots on disk, compatible with the app this replaces: `<base>/YYYYMMDD/` holds the grid
 * as NumPy data, a PNG rendering and JSON metadata. The latest snapshot of the day is kept under a
 * fixed name per camera (and optionally one per hour); every write is atomic.
 */
export class HeatSnapshotStore {
  constructor(readonly baseDir: string) {}

  files(cameraId: string, at: number, hour?: number): SavedFiles {
    const dir = path.join(this.baseDir, dayFolder(at));
    const stem = `heatmap_${safeName(cameraId)}${hour === undefined ? '' : `_${String(hour).padStart(2, '0')}h`}`;
    return {
      npy: path.join(dir, `${stem}.npy`),
      png: path.join(dir, `${stem}.png`),
      json: path.join(dir, `${stem}.json`),
    };
  }

  /**
   * Saves the day's latest snapshot (and the hour's, with keepHourly). The grid is written last:
   * a snapshot counts as present when its .npy is, and the .npy is only replaced once the PNG and
   * JSON beside it are complete.
   */
  async save(grid: HeatGrid, meta: HeatSnapshotMeta, png: Buffer, keepHourly = false): Promise<SavedFiles> {
    const targets = [this.files(meta.cameraId, meta.savedAt)];
    if (keepHourly) targets.push(this.files(meta.cameraId, meta.savedAt, new Date(meta.savedAt).getHours()));
    const npy = encodeNpy(grid.cells, [grid.rows, grid.cols]);
    const json = JSON.stringify(meta, null, 2);
    for (const files of targets) {
      await writeFileAtomic(files.png, png);
      await writeFileAtomic(files.json, json);
      await writeFileAtomic(files.npy, npy);
    }
    return targets[0];
  }

  /**
   * Writes the day's latest grid and metadata only, what a restart restores (the crash checkpoint):
   * the PNG beside them, redrawn at the next full save, may be older. JSON first, grid last, as in
   * save().
   */
  async saveData(grid: HeatGrid, meta: HeatSnapshotMeta): Promise<Omit<SavedFiles, 'png'>> {
    const files = this.files(meta.cameraId, meta.savedAt);
    await writeFileAtomic(files.json, JSON.stringify(meta, null, 2));
    await writeFileAtomic(files.npy, encodeNpy(grid.cells, [grid.rows, grid.cols]));
    return { npy: files.npy, json: files.json };
  }

  /**
   * The cameras with a day snapshot on the day of `at` (read from their JSON metadata), and the
   * metadata files that could not be read (reported by the caller, then skipped).
   */
  async camerasOfDay(at: number): Promise<{ cameras: string[]; damaged: Error[] }> {
    const dir = path.join(this.baseDir, dayFolder(at));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cameras: [], damaged: [] };
      throw err;
    }
    const cameras: string[] = [];
    const damaged: Error[] = [];
    // The day's latest per camera is heatmap_<camera>.json; hourly ones (heatmap_<camera>_HHh.json)
    // are kept for people, not restored.
    for (const name of names.filter((n) => /^heatmap_.+\.json$/.test(n)).sort()) {
      const file = path.join(dir, name);
      try {
        const meta = JSON.parse(await readFile(file, 'utf8')) as Partial<HeatSnapshotMeta>;
        if (typeof meta.cameraId !== 'string') throw new Error('it names no camera');
        if (this.files(meta.cameraId, at).json === file) cameras.push(meta.cameraId);
        else if (!/_\d\dh\.json$/.test(name)) throw new Error('its camera is not the one in its name');
      } catch (err) {
        damaged.push(new Error(`heat snapshot ${file} is unreadable: ${(err as Error).message}`));
      }
    }
    return { cameras, damaged };
  }

  /**
   * What a restart finds of the day of `at`: the latest snapshot of every camera, the files that
   * could not be read (to report; the next save replaces them) and how many unfinished files of a
   * killed save were removed. Only at start: later, a temporary file may be a write in flight.
   */
  async today(at: number): Promise<{ restored: HeatSnapshot[]; damaged: Error[]; unfinished: number }> {
    const unfinished = await this.removeUnfinished(at);
    const { cameras, damaged } = await this.camerasOfDay(at);
    const restored: HeatSnapshot[] = [];
    for (const cameraId of cameras) {
      try {
        const found = await this.restore(cameraId, at);
        if (found) restored.push({ meta: found.meta, cells: found.grid.cells });
      } catch (err) {
        damaged.push(err as Error);
      }
    }
    return { restored, damaged, unfinished };
  }

  /** Removes what saves of an earlier, killed process left unfinished on the day of `at`. */
  removeUnfinished(at: number): Promise<number> {
    return removeUnfinishedWrites(path.join(this.baseDir, dayFolder(at)));
  }

  /**
   * The latest snapshot of the day of `at` for this camera, or null when there is none. A damaged
   * snapshot throws with the reason, so the caller can report it and start empty.
   */
  async restore(cameraId: string, at: number): Promise<{ grid: HeatGrid; meta: HeatSnapshotMeta } | null> {
    const files = this.files(cameraId, at);
    let npy: Buffer;
    try {
      npy = await readFile(files.npy);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let meta: HeatSnapshotMeta;
    try {
      meta = JSON.parse(await readFile(files.json, 'utf8')) as HeatSnapshotMeta;
    } catch (err) {
      throw new Error(`heat snapshot ${files.json} is unreadable: ${(err as Error).message}`);
    }
    let decoded: ReturnType<typeof decodeNpy>;
    try {
      decoded = decodeNpy(npy);
    } catch (err) {
      throw new Error(`heat snapshot ${files.npy} is damaged: ${(err as Error).message}`);
    }
    if (
      decoded.shape.length !== 2 ||
      decoded.shape[0] !== meta.gridRows ||
      decoded.shape[1] !== meta.gridCols
    ) {
      throw new Error(`heat snapshot ${files.npy} does not match its metadata (${decoded.shape.join('x')})`);
    }
    const grid = new HeatGrid(
      { sourceWidth: meta.sourceWidth, sourceHeight: meta.sourceHeight, cellSize: meta.cellSize },
      decoded.data,
    );
    return { grid, meta };
  }
}
