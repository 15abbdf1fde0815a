/**
 * The fault-injection suite's frame: each fault is a real failure done to real processes (camera,
 * ffmpeg, disk, Node-RED), with what the store box is expected to do and a check of what it did.
 */

export interface FaultContext {
  /**
   * Multiplies the long waits a fault is about (outage lengths): 1 in `npm run faults`, smaller in
   * the test command.
   */
  scale: number;
  /** Runs after the fault, passed or failed or timed out: stop what it started. */
  defer(cleanup: () => unknown): void;
  /** Records one observation; the fault passes when every observation holds. */
  check(ok: boolean, observed: string): void;
  /** Progress for the console while a long fault runs. */
  log(text: string): void;
}

export interface Fault {
  id: string;
  /** The fault, as done to the box. */
  fault: string;
  /** What the box must do. */
  expected: string;
  /** Fits in the test command's time budget (at the test command's scale). */
  quick?: boolean;
  /**
   * Waits on timers, not the CPU (a camera that never sends a frame: no decoding, no model), so the
   * test command runs such faults side by side, not one after another.
   */
  waitsOnTimers?: boolean;
  /** Upper bound on the run, at scale 1; a fault still running then fails. */
  timeoutMs: (scale: number) => number;
  run(ctx: FaultContext): Promise<void>;
}

export interface FaultResult {
  id: string;
  fault: string;
  expected: string;
  observed: string;
  pass: boolean;
  seconds: number;
}

export async function runFault(
  fault: Fault,
  scale: number,
  log: (text: string) => void,
): Promise<FaultResult> {
  const cleanups: Array<() => unknown> = [];
  const observations: Array<{ ok: boolean; observed: string }> = [];
  const started = Date.now();
  const ctx: FaultContext = {
    scale,
    defer: (cleanup) => cleanups.push(cleanup),
    check: (ok, observed) => observations.push({ ok, observed }),
    log: (text) => log(`  [${fault.id}] ${text}`),
  };
  let error: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fault.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running after ${Math.round(fault.timeoutMs(scale) / 1000)} s`)),
          fault.timeoutMs(scale),
        );
      }),
    ]);
  } catch (err) {
    error = (err as Error).message.split('\n')[0];
  } finally {
    clearTimeout(timer);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        observations.push({ ok: false, observed: `cleanup failed: ${(err as Error).message}` });
      }
    }
  }
  if (error) observations.push({ ok: false, observed: error });
  const pass = observations.length > 0 && observations.every((o) => o.ok);
  return {
    id: fault.id,
    fault: fault.fault,
    expected: fault.expected,
    observed: observations.map((o) => (o.ok ? o.observed : `FAILED: ${o.observed}`)).join('; '),
    pass,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The results as a Markdown table, and the closing count line. */
export function resultTable(results: FaultResult[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = results.map(
    (r) =>
      `| ${cell(r.fault)} | ${cell(r.expected)} | ${cell(r.observed)} | ${r.pass ? 'pass' : '**FAIL**'} |`,
  );
  const passed = results.filter((r) => r.pass).length;
  return [
    '| Fault | Expected | Observed | Pass |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `${passed} passed, ${results.length - passed} failed`,
  ].join('\n');
}
