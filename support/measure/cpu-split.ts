import type { ThreadSnapshot } from './process-cpu';

/** CPU time (ms) of the Node-RED process by kind of work, told apart by thread. */
export interface CpuSplit {
  /** The detector sessions' threads: inference and filling its input tensor. */
  inference: number;
  /** libvips' threads (sharp): JPEG decode and resize for the detector, overlay blend and encode. */
  imageLibrary: number;
  /** Node-RED's event loop: messages, tracking, heat, HTTP, MJPEG fan-out (and the bench's own viewers). */
  eventLoop: number;
  /** Everything else: libuv's pool (sharp's calls start there), V8's garbage collector and compiler. */
  otherThreads: number;
}

/**
 * The CPU each kind of thread used between two snapshots (threadCpuMs) of process `pid` (threads born since count
 * from 0). `inferenceThreads`: the detector sessions' thread ids (SharedDetector.sessionThreadIds).
 * libvips names its threads; the rest have Node's name.
 */
export function cpuSplit(
  before: ThreadSnapshot,
  after: ThreadSnapshot,
  inferenceThreads: readonly number[],
  pid: number = process.pid,
): CpuSplit {
  const split: CpuSplit = { inference: 0, imageLibrary: 0, eventLoop: 0, otherThreads: 0 };
  for (const [tid, { name, ms }] of after) {
    const used = ms - (before.get(tid)?.ms ?? 0);
    if (tid === pid) split.eventLoop += used;
    else if (inferenceThreads.includes(tid)) split.inference += used;
    else if (name.startsWith('libvips')) split.imageLibrary += used;
    else split.otherThreads += used;
  }
  return split;
}
