import type { HeatSnapshot } from '../heatmap/heat-snapshot';
import { hourStart } from '../time/local-time';

/** One hour's heat of one camera: the heat added in that hour, on the heatmap's grid. */
export interface HourHeat {
  cameraId: string;
  /** ms: the local hour's start. */
  hour: number;
  /** The heatmap's accumulation (day) this heat belongs to: its start in ms. */
  startedAt: number;
  cols: number;
  rows: number;
  cellSize: number;
  width: number;
  height: number;
  cells: Float32Array;
}

interface CameraHeat {
  startedAt: number;
  hour: number;
  shape: string;
  /** The day's heat when this hour began (of the accumulation `startedAt`). */
  base: Float32Array;
  /** Heat of this hour from accumulations before the current one (a reset within the hour). */
  carry: Float32Array | null;
  /** The day's heat of the last snapshot. */
  latest: Float32Array | null;
}

const shapeOf = (s: HeatSnapshot) =>
  `${s.meta.gridCols}x${s.meta.gridRows}/${s.meta.cellSize}/${s.meta.sourceWidth}x${s.meta.sourceHeight}`;

/**
 * Each hour's heat, from the heatmap's snapshots of the day's heat: the day's grid now minus the
 * day's grid when the hour began. The hours of a day so add up to the day's grid (the NumPy file
 * heatmap-store writes), and any hour or range of hours can be drawn again.
 */
export class HourHeatSplitter {
  private readonly cameras = new Map<string, CameraHeat>();
  private readonly changed = new Map<string, HourHeat>();

  /**
   * `storedBefore` gives, after a restart, the sum of the hours already written of an accumulation
   * before an hour (and that hour's own grid, if it is of an earlier accumulation): where this
   * hour's heat starts from.
   */
  constructor(
    private readonly storedBefore: (
      cameraId: string,
      startedAt: number,
      hour: number,
      cells: number,
    ) => { base: Float32Array | null; carry: Float32Array | null },
  ) {}

  offer(snapshot: HeatSnapshot): void {
    const { meta, cells } = snapshot;
    const hour = hourStart(meta.savedAt);
    const shape = shapeOf(snapshot);
    let cam = this.cameras.get(meta.cameraId);
    if (!cam || cam.shape !== shape || hour < cam.hour) {
      const stored = this.storedBefore(meta.cameraId, meta.startedAt, hour, cells.length);
      cam = {
        startedAt: meta.startedAt,
        hour,
        shape,
        base: stored.base ?? new Float32Array(cells.length),
        carry: stored.carry,
        latest: null,
      };
      this.cameras.set(meta.cameraId, cam);
    } else if (hour > cam.hour) {
      // A new hour starts from the day's heat as the last one ended (a new day: from nothing).
      cam.base = cam.startedAt === meta.startedAt && cam.latest ? cam.latest : new Float32Array(cells.length);
      cam.hour = hour;
      cam.carry = null;
      cam.startedAt = meta.startedAt;
    } else if (cam.startedAt !== meta.startedAt) {
      // A reset within the hour: what the hour had so far stays in it; the new day adds from nothing.
      cam.carry = cam.latest ? this.hourGrid(cam, cam.latest) : cam.carry;
      cam.base = new Float32Array(cells.length);
      cam.startedAt = meta.startedAt;
    }
    cam.latest = new Float32Array(cells);
    this.changed.set(`${meta.cameraId}@${hour}`, {
      cameraId: meta.cameraId,
      hour,
      startedAt: meta.startedAt,
      cols: meta.gridCols,
      rows: meta.gridRows,
      cellSize: meta.cellSize,
      width: meta.sourceWidth,
      height: meta.sourceHeight,
      cells: this.hourGrid(cam, cam.latest),
    });
  }

  /** The hour's heat when the day's heat is `day`. */
  private hourGrid(cam: CameraHeat, day: Float32Array): Float32Array {
    const grid = new Float32Array(day.length);
    for (let i = 0; i < day.length; i++) {
      // Never below zero: a day restored from an older save may hold less than was written since.
      grid[i] = Math.max(0, day[i] - cam.base[i]) + (cam.carry ? cam.carry[i] : 0);
    }
    return grid;
  }

  /** Hour grids changed since the last call (to be written; the latest of each hour). */
  take(): HourHeat[] {
    const out = [...this.changed.values()];
    this.changed.clear();
    return out;
  }
}
