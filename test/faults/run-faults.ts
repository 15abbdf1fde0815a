// npm run faults [-- --quick] [--only <id,id>] [--scale <factor>] [--out <file.md>]
// Runs the fault-injection suite against real processes on loopback, prints the table and ends with
// "N passed, M failed" (exit code 1 when any failed).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { allFaults } from './faults';
import { FaultResult, resultTable, runFault } from './fault';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scale: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
  });
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  const only = values.only?.split(',').map((id) => id.trim());
  const faults = allFaults.filter((f) => (!only || only.includes(f.id)) && (!values.quick || f.quick));
  if (faults.length === 0) throw new Error(`no fault matches; ids: ${allFaults.map((f) => f.id).join(', ')}`);

  console.log(
    `${faults.length} faults, outage scale ${scale}, ${os.cpus().length} cores (${os.cpus()[0]?.model})`,
  );
  const results: FaultResult[] = [];
  for (const fault of faults) {
    console.log(`- ${fault.id}: ${fault.fault}`);
    const result = await runFault(fault, scale, (text) => console.log(text));
    console.log(`  ${result.pass ? 'pass' : 'FAIL'} in ${result.seconds.toFixed(0)} s: ${result.observed}`);
    results.push(result);
  }
  const table = resultTable(results);
  console.log(`\n${table}`);
  if (values.out) {
    mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    writeFileSync(values.out, `${table}\n`);
  }
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
