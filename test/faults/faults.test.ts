import assert from 'node:assert/strict';
import { allFaults } from './faults';
import { runFault, type Fault, type FaultResult } from './fault';

/** Timer-bound faults run this many at a time (each starts a Node-RED, and most load the model). */
const SIDE_BY_SIDE = 6;

/** Runs `faults` at most `limit` at a time; each result under its fault's id. */
function runSideBySide(faults: Fault[], limit: number): Map<string, Promise<FaultResult>> {
  const results = new Map<string, Promise<FaultResult>>();
  let next = 0;
  const starters: Array<() => void> = [];
  const startNext = () => starters[next++]?.();
  for (const fault of faults) {
    results.set(
      fault.id,
      new Promise<FaultResult>((resolve) => {
        starters.push(() => {
          const run = runFault(fault, 1, () => {});
          void run.finally(startNext);
          resolve(run);
        });
      }),
    );
  }
  for (let i = 0; i < limit; i++) startNext();
  return results;
}

/**
 * The fault-injection suite's quick faults, as part of the test command (`npm run faults` runs
 * them all, with the long outages, and prints the table).
 */
describe('fault injection (quick faults of npm run faults)', function () {
  const quick = allFaults.filter((f) => f.quick);
  // Faults that only wait on timers (a camera or a model that never works: nothing to decode or
  // infer) run side by side, started with the first of them; their tests read the results. The rest
  // run one after another.
  const sideBySide = quick.filter((f) => f.waitsOnTimers);
  let together: Map<string, Promise<FaultResult>> | null = null;
  const rounds = Math.ceil(sideBySide.length / SIDE_BY_SIDE);
  const togetherMs = rounds * Math.max(0, ...sideBySide.map((f) => f.timeoutMs(1)));
  for (const fault of quick) {
    it(`${fault.fault}: ${fault.expected}`, async function () {
      this.timeout((fault.waitsOnTimers ? togetherMs : fault.timeoutMs(1)) + 30000);
      if (fault.waitsOnTimers) together ??= runSideBySide(sideBySide, SIDE_BY_SIDE);
      const result = await (together?.get(fault.id) ?? runFault(fault, 1, () => {}));
      assert.ok(result.pass, result.observed);
    });
  }
});
