import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { waitFor } from '../../../support/processes';
import {
  crashReport,
  describeExit,
  OutputTail,
  parseProcStat,
  processesInGroup,
  RestartPolicy,
} from '../../../nodes/lib/os/runtime-supervision';

const crash = (ranMs: number, signal: string | null = 'SIGABRT', code: number | null = null) => ({
  code,
  signal,
  ranMs,
});

describe("npm start's supervisor: restart policy", () => {
  it('restarts after 1 s, doubling to 30 s while Node-RED keeps dying within a minute of its start', () => {
    const policy = new RestartPolicy();
    const delays = Array.from({ length: 8 }, () => {
      const next = policy.afterRun(crash(20000));
      assert.ok(next.restart);
      return next.delayMs;
    });
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('starts again from 1 s after a run that lasted a stable minute', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < 4; i++) policy.afterRun(crash(5000));
    const next = policy.afterRun(crash(60000, 'SIGKILL'));
    assert.deepEqual(next, { restart: true, delayMs: 1000, crashesInARow: 1 });
  });

  it('does not restart a first run that never got going (a setting refused), and passes its exit code on', () => {
    const policy = new RestartPolicy();
    assert.deepEqual(policy.afterRun(crash(800, null, 1)), { restart: false, exitCode: 1 });
  });

  it('restarts a first run killed by a signal however soon, and any later run that exits with a code', () => {
    assert.equal(new RestartPolicy().afterRun(crash(800, 'SIGABRT')).restart, true);
    const policy = new RestartPolicy();
    policy.afterRun(crash(120000, 'SIGSEGV'));
    assert.equal(policy.afterRun(crash(800, null, 1)).restart, true);
    // A first run that was up for a while and then exited with a code (an uncaught exception) is a crash.
    assert.equal(new RestartPolicy().afterRun(crash(30000, null, 1)).restart, true);
  });
});

describe("npm start's supervisor: why Node-RED stopped", () => {
  it('names the signal and what it usually means', () => {
    assert.match(describeExit(null, 'SIGABRT'), /^SIGABRT \(native abort/);
    assert.match(describeExit(null, 'SIGKILL'), /^SIGKILL \(killed outright: by the out-of-memory killer/);
    assert.match(describeExit(null, 'SIGSEGV'), /^SIGSEGV \(crash in native code\)$/);
    assert.equal(describeExit(null, 'SIGUSR1'), 'SIGUSR1');
    assert.match(describeExit(1, null), /^exit code 1 \(an error/);
    assert.equal(describeExit(7, null), 'exit code 7');
    assert.match(describeExit(0, null), /stopped by itself/);
  });

  it('reports run time, the last lines on stderr, what it left running and the next step', () => {
    const lines = crashReport(
      crash(192000),
      ["terminate called after throwing an instance of 'Napi::Error'", '  what():  boom'],
      [{ command: 'ffmpeg', pid: 4242 }],
      { restart: true, delayMs: 1000, crashesInARow: 1 },
    );
    assert.deepEqual(lines, [
      'Node-RED stopped after 3 min 12 s: SIGABRT (native abort: a C++ exception nobody caught, or a fatal V8 error such as an exhausted heap)',
      'its last lines on stderr:',
      "  | terminate called after throwing an instance of 'Napi::Error'",
      '  |   what():  boom',
      'killed 1 process(es) Node-RED left running: ffmpeg 4242',
      'restarting it in 1 s',
    ]);
    const again = crashReport(crash(3000), [], [], { restart: true, delayMs: 4000, crashesInARow: 3 });
    assert.deepEqual(again, [
      'Node-RED stopped after 3.0 s: SIGABRT (native abort: a C++ exception nobody caught, or a fatal V8 error such as an exhausted heap)',
      'restarting it in 4 s (stop 3 in a row within a minute of its start: the wait doubles, up to 30 s)',
    ]);
    const refused = crashReport(crash(900, null, 1), [], [], { restart: false, exitCode: 1 });
    assert.match(refused.at(-1)!, /did not get going .* not restarted/);
  });
});

describe("npm start's supervisor: the tail of Node-RED's stderr", () => {
  it('keeps the last whole lines of chunks cut anywhere, and an unfinished last line', () => {
    const tail = new OutputTail(3);
    const text = 'one\ntwo\r\n\nthree\nfour\nfive, unfini';
    // Every way of cutting the text in two gives the same tail.
    for (let cut = 0; cut <= text.length; cut++) {
      const t = new OutputTail(3);
      t.push(text.slice(0, cut));
      t.push(text.slice(cut));
      assert.deepEqual(t.lines(), ['three', 'four', 'five, unfini'], `cut at ${cut}`);
    }
    tail.push('a\nb\n');
    assert.deepEqual(tail.lines(), ['a', 'b']);
  });

  it('stays bounded when a process writes one endless line or a flood of lines', () => {
    const tail = new OutputTail(5, 100);
    for (let i = 0; i < 10000; i++) tail.push('x'.repeat(1000));
    assert.deepEqual(
      tail.lines().map((l) => l.length),
      [100],
    );
    for (let i = 0; i < 10000; i++) tail.push(`line ${i} ${'y'.repeat(500)}\n`);
    const lines = tail.lines();
    assert.equal(lines.length, 5);
    assert.ok(lines.every((l) => l.length <= 104));
    assert.match(lines[4], /^line 9999 y+ \.\.\.$/);
  });
});

describe("npm start's supervisor: a process group's members", () => {
  it('reads /proc/<pid>/stat, also with spaces and parentheses in the command', () => {
    assert.deepEqual(parseProcStat('4242 (ffmpeg) S 4200 4200 4200 0 -1 4194560 ...'), {
      pid: 4242,
      command: 'ffmpeg',
      state: 'S',
      processGroup: 4200,
    });
    assert.deepEqual(parseProcStat('17 (a (b) c) Z 1 16 16 0'), {
      pid: 17,
      command: 'a (b) c',
      state: 'Z',
      processGroup: 16,
    });
    assert.equal(parseProcStat('garbage'), null);
  });

  it('finds every running process of a real process group, and none once the group is killed', async () => {
    // A shell leading its own group (as Node-RED does under the supervisor) with two children in it.
    const leader = spawn('sh', ['-c', 'sleep 60 & sleep 60 & wait'], { detached: true, stdio: 'ignore' });
    const group = leader.pid!;
    try {
      const members = await waitFor(
        () => {
          // (A forked child is "sh" until it has started sleep.)
          const found = processesInGroup(group);
          const commands = found?.map((p) => p.command).sort();
          return commands?.join() === 'sh,sleep,sleep' ? found : null;
        },
        5000,
        'the shell and its two sleeps',
      );
      assert.ok(members.every((p) => p.processGroup === group));
      assert.ok(!processesInGroup(process.pid)?.some((p) => p.pid === group), 'not in our group');
    } finally {
      process.kill(-group, 'SIGKILL');
    }
    await waitFor(() => processesInGroup(group)?.length === 0, 5000, 'the group to be gone');
  });
});
