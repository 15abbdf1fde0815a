import assert from 'node:assert/strict';
import { HistoryRegistry, type OpenHistory } from '../../../nodes/lib/history/history-registry';
import type { HistoryWriteHook } from '../../../nodes/lib/history/write-hook';

const history = (file: string): OpenHistory => ({
  file,
  connect: () => {
    throw new Error('not in this test');
  },
});
const hook = (): HistoryWriteHook => ({ written: () => undefined });

describe('history registry: histories by database file, and the hooks set on a file', () => {
  it('keeps hooks by file and name, in whatever order history starts', () => {
    const registry = new HistoryRegistry();
    const a = hook();
    const b = hook();
    registry.setHook('/data/history.db', 'outbox', a);
    registry.setHook('/data/../data/history.db', 'outbox', b); // the same file: replaced
    assert.deepEqual(registry.hooksOf('/data/history.db'), [b]);
    assert.deepEqual(registry.hooksOf('/other.db'), []);
    registry.setHook('/data/history.db', 'outbox', null);
    assert.deepEqual(registry.hooksOf('/data/history.db'), []);
  });

  it('tells a watcher of a history open before it watched, and of one that comes later; a stale withdraw says nothing', () => {
    const registry = new HistoryRegistry();
    const seen: string[] = [];
    const first = history('/data/history.db');
    registry.offer(first);
    const stop = registry.watch('/data/history.db', {
      appeared: (h) => seen.push(`appeared ${h === first ? 'first' : 'second'}`),
      gone: (h) => seen.push(`gone ${h === first ? 'first' : 'second'}`),
    });
    const second = history('/data/history.db');
    registry.offer(second); // a redeploy: the new instance opened before the old one let go
    registry.withdraw(first); // late: not the one open now
    registry.withdraw(second);
    stop();
    registry.offer(first);
    assert.deepEqual(seen, ['appeared first', 'appeared second', 'gone second']);
  });
});
