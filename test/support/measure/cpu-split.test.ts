import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { osThreadId } from '../../../nodes/lib/os/thread-id';
import { cpuSplit } from '../../../support/measure/cpu-split';
import type { ThreadSnapshot } from '../../../support/measure/process-cpu';

describe('osThreadId', () => {
  it("gives each thread its own OS id, the main thread's being the process id", async () => {
    assert.equal(osThreadId(), process.pid);
    const worker = new Worker(
      `const { readlinkSync } = require('node:fs');
       require('node:worker_threads').parentPort.postMessage(Number(readlinkSync('/proc/thread-self').split('/').pop()));`,
      { eval: true },
    );
    const workerTid = await new Promise<number>((resolve) => worker.once('message', resolve));
    await worker.terminate();
    assert.notEqual(workerTid, process.pid);
  });
});

describe('cpuSplit (benchmark)', () => {
  it('splits the CPU used between two snapshots by kind of thread', () => {
    const pid = 100;
    const before: ThreadSnapshot = new Map([
      [100, { name: 'node', ms: 1000 }],
      [101, { name: 'node', ms: 500 }],
      [102, { name: 'libvips worker', ms: 40 }],
      [103, { name: 'node', ms: 10 }],
    ]);
    const after: ThreadSnapshot = new Map([
      [100, { name: 'node', ms: 1100 }],
      [101, { name: 'node', ms: 2500 }],
      [102, { name: 'libvips worker', ms: 90 }],
      [103, { name: 'node', ms: 30 }],
      // Born during the run: all their time counts.
      [104, { name: 'node', ms: 1800 }],
      [105, { name: 'libvips worker', ms: 5 }],
    ]);
    assert.deepEqual(cpuSplit(before, after, [101, 104], pid), {
      inference: 2000 + 1800,
      imageLibrary: 50 + 5,
      eventLoop: 100,
      otherThreads: 20,
    });
  });
});
