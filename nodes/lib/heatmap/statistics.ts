import type { HeatGrid } from './heat-grid';
import { humanDuration } from '../time/human-duration';

export interface HeatStatistics {
  /** Person-seconds over the whole grid. */
  totalActivitySeconds: number;
  /** The same in words: "2 h 15 min". */
  totalActivity: string;
  /** Person-seconds in the busiest cell. */
  maxActivitySeconds: number;
  /** Mean person-seconds over the cells that saw anyone. */
  averageActivitySeconds: number;
  /** Share (0..1) of the cells where people spent at least `visitedSeconds`. */
  floorShareVisited: number;
}

/**
 * Person-seconds that make a cell "visited": about what one person walking through at a normal
 * pace (~1 body height, ~80 px, per second at the default 30 px radius) leaves up to ~3 cells
 * (24 px) either side of their path. Measured on the heat grid: such a walk leaves ~0.02 on the
 * path and ~0.006 three cells off it; 0.5 (the first choice) needed ~10 s of standing.
 */
export const VISITED_SECONDS = 0.005;

export function heatStatistics(grid: HeatGrid, visitedSeconds = VISITED_SECONDS): HeatStatistics {
  let total = 0;
  let max = 0;
  let active = 0;
  let visited = 0;
  for (let i = 0; i < grid.cells.length; i++) {
    const v = grid.cells[i];
    total += v;
    if (v > max) max = v;
    if (v > 0) active++;
    if (v >= visitedSeconds) visited++;
  }
  return {
    totalActivitySeconds: total,
    totalActivity: humanDuration(total),
    maxActivitySeconds: max,
    averageActivitySeconds: active > 0 ? total / active : 0,
    floorShareVisited: grid.cells.length > 0 ? visited / grid.cells.length : 0,
  };
}

/** Everything staff read off the store page and `/statistics` for one camera. */
export interface StoreStatistics extends HeatStatistics {
  /** People the tracker sees now. */
  peopleInView: number;
  /** Visitors (unique tracked people) since the last reset. */
  uniquePeople: number;
  /** Time without frames from the camera since the last reset: missing data, not an empty store. */
  cameraGapSeconds: number;
  cameraGap: string;
  /** ms since epoch: start of the accumulation (last reset). */
  since: number;
}

export function storeStatistics(
  grid: HeatGrid,
  people: { inView: number; unique: number; gapSeconds: number; since: number },
): StoreStatistics {
  return {
    ...heatStatistics(grid),
    peopleInView: people.inView,
    uniquePeople: people.unique,
    cameraGapSeconds: people.gapSeconds,
    cameraGap: humanDuration(people.gapSeconds),
    since: people.since,
  };
}
