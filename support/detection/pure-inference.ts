import type { SharedDetector } from '../../nodes/lib/yolo/shared-detector';

/** Pure inference: every session of a detector running the model, and nothing else, at once. */
export interface InferenceTiming {
  /** Runs per second of all sessions together, over the time they all ran. */
  fps: number;
  /** Duration of each run. */
  ms: number[];
}

/**
 * Has every session of an idle `detector` run the model `runs` times on its last input (or grey
 * inputs of `sizes`, in turn) at the same moment. Throughput counts the runs that ended while all sessions were
 * still running.
 */
export async function timePureInference(
  detector: SharedDetector,
  runs: number,
  sizes?: ReadonlyArray<{ width: number; height: number }>,
): Promise<InferenceTiming> {
  const results = await detector.timeInference(runs, sizes);
  // From the moment the last session finished its first run to the moment the first finished
  // its last one, every session was busy.
  const from = Math.max(...results.map((r) => r.endedAt[0]));
  const to = Math.min(...results.map((r) => r.endedAt[r.endedAt.length - 1]));
  const ended = results.flatMap((r) => r.endedAt).filter((t) => t > from && t <= to).length;
  return { fps: to > from ? (ended * 1000) / (to - from) : NaN, ms: results.flatMap((r) => r.ms) };
}
