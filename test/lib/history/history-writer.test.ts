import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { HistoryDb } from '../../../nodes/lib/history/history-db';
import { HistoryWriter } from '../../../nodes/lib/history/history-writer';
import { emptyMinute } from '../../../nodes/lib/history/minute-row';
import { testTmp } from '../../../support/assets';

const tmpDb = () => {
  mkdirSync(testTmp, { recursive: true });
  const dir = mkdtempSync(path.join(testTmp, 'history-'));
  return path.join(dir, 'history.db');
};

describe('history: the database', () => {
  const t0 = Date.parse('2026-12-02T10:00:00Z');
  const row = (cameraId: string, minute: number, people: number) => ({
    ...emptyMinute(cameraId, minute),
    coveredSeconds: 60,
    peopleSeconds: people * 60,
    peopleMax: people,
    visitors: people,
    activitySeconds: people * 60,
    lines: { 'front door': { in: people, out: 1 } },
  });

  it('keeps rows in memory while the disk refuses them, bounded, and writes them when it is back', () => {
    const file = tmpDb();
    const db = new HistoryDb(file, t0);
    let broken = true;
    const writer = new HistoryWriter(() => (broken ? null : db), 3);
    for (let i = 0; i < 5; i++) {
      const out = writer.write({ minutes: [row('a', t0 + i * 60_000, 1)] });
      assert.ok(out.error);
    }
    assert.equal(writer.waiting, 3);
    assert.equal(writer.dropped, 2);
    broken = false;
    assert.equal(writer.write({}).written, 3);
    assert.deepEqual(
      [...db.minutes('a', t0, t0 + 600_000)].map((m) => (m.minute - t0) / 60_000),
      [2, 3, 4],
    );
    db.close();
  });
});
