import { execFileSync } from 'node:child_process';
import { freeLoopbackPort } from '../tools/servers/ports';

/** Command lines of running ffmpeg processes that mention `marker` (a port, a unique path). */
export function ffmpegProcessesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => /\bffmpeg\b/.test(line) && line.includes(marker) && !line.includes('ps -eo'));
}

/** Command lines of the ffmpeg processes that `parentPid` (this process by default) started. */
export function ffmpegChildren(parentPid: number = process.pid): string[] {
  const out = execFileSync('ps', ['-eo', 'ppid=,args=', '-ww'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) === parentPid && /\bffmpeg\b/.test(m[2]))
    .map((m) => m[2]);
}

/** A free loopback port (the tools' helper: the chain's servers use it too). */
export const freePort = freeLoopbackPort;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value or the time is up. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
