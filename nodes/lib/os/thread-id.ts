import { readlinkSync } from 'node:fs';

/**
 * The operating system's id of the calling thread (Linux: the `tid` in /proc/<pid>/task/<tid>,
 * what `top -H` and `ps -L` list), or null where /proc has no thread-self. Node's own
 * `threadId` counts workers from 1 and means nothing to the OS; this one lets a tool find how much
 * CPU a given worker used.
 */
export function osThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}
