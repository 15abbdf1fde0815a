import assert from 'node:assert/strict';
import { allFaults } from './faults';
import { runFault } from './fault';

/**
 * The fault-injection suite's quick faults, as part of the test command (`npm run faults` runs
 * them all, with the long outages, and prints the table).
 */
describe('fault injection (quick faults of npm run faults)', function () {
  for (const fault of allFaults.filter((f) => f.quick)) {
    it(`${fault.fault}: ${fault.expected}`, async function () {
      this.timeout(fault.timeoutMs(1) + 30000);
      const result = await runFault(fault, 1, () => {});
      assert.ok(result.pass, result.observed);
    });
  }
});
