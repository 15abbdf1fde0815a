import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { Outbox } from '../../../nodes/lib/chain/outbox';
import { OutboxHook } from '../../../nodes/lib/chain/outbox-hook';
import { heatCells, type HeatPayload } from '../../../nodes/lib/chain/payloads';
import { PAYLOAD_VERSION } from '../../../nodes/lib/chain/topics';
import { HistoryDb, type HourHeat } from '../../../nodes/lib/history/history-db';
import { emptyMinute } from '../../../nodes/lib/history/minute-row';
import type { HistoryWriteHook } from '../../../nodes/lib/history/write-hook';
import { testTmp } from '../../../support/assets';

const tmpDb = () => {
  mkdirSync(testTmp, { recursive: true });
  return path.join(mkdtempSync(path.join(testTmp, 'outbox-hook-')), 'history.db');
};
const t0 = Date.parse('2026-12-03T10:00:00Z');

describe('the outbox hook: history queues its minutes for head office in the same transaction', () => {
  const row = (
    cameraId: string,
    i: number,
    people: number,
    lines: Record<string, { in: number; out: number }> = {},
  ) => ({
    ...emptyMinute(cameraId, t0 + i * 60_000),
    coveredSeconds: 30,
    peopleSeconds: people * 30,
    peopleMax: people,
    visitors: people,
    activitySeconds: people,
    lines,
  });
  const queued = (db: HistoryDb) =>
    new Outbox(db.db)
      .next(0, 100)
      .map((m) => ({ seq: m.seq, topic: m.topic, ...(JSON.parse(m.payload) as object) }));

  it('queues nothing until the hook is set, then every written minute whole, as it stands after the write', () => {
    let hooks: HistoryWriteHook[] = [];
    const db = new HistoryDb(tmpDb(), t0, () => hooks);
    db.write({ minutes: [row('door', 0, 1)] });
    assert.equal(new Outbox(db.db).stats().messages, 0, 'no uplink: nothing queued');
    hooks = [new OutboxHook('berlin-01')];
    db.write({ minutes: [row('door', 1, 2, { entrance: { in: 3, out: 1 } })] });
    // The second part of minute 1 (after a redeploy): the message carries the whole minute.
    db.write({ minutes: [row('door', 1, 4, { entrance: { in: 1, out: 0 } })] });
    const [first, second] = queued(db) as Array<Record<string, unknown>>;
    assert.equal(first.topic, 'store-analytics/berlin-01/door/minute');
    assert.equal(second.seq, (first.seq as number) + 1);
    assert.deepEqual(
      { ...second, seq: 0, topic: '' },
      {
        v: PAYLOAD_VERSION,
        store: 'berlin-01',
        camera: 'door',
        time: new Date(t0 + 60_000).toISOString(),
        covered_s: 60,
        people_s: 180,
        people_max: 4,
        visitors: 6,
        activity_s: 6,
        lines: { entrance: { in: 4, out: 1 } },
        zones: {},
        seq: 0,
        topic: '',
      },
    );
    db.close();
  });

  it('a write that fails queues nothing (one transaction), and a camera id unfit for a topic never stops history', () => {
    const hook = new OutboxHook('s');
    const db = new HistoryDb(tmpDb(), t0, () => [hook]);
    db.db.exec('CREATE TRIGGER fail BEFORE INSERT ON quarters BEGIN SELECT RAISE(ABORT, "disk"); END;');
    assert.throws(() => db.write({ minutes: [row('door', 0, 1)] }), /disk/);
    assert.equal(new Outbox(db.db).stats().messages, 0);
    db.db.exec('DROP TRIGGER fail');
    db.write({ minutes: [row('a/b', 0, 1), row('door', 0, 1)] });
    assert.equal([...db.minutes('a/b', t0, t0 + 60_000)].length, 1, 'history has the row');
    assert.match(hook.problem, /cannot be an MQTT topic level/);
    assert.deepEqual(
      queued(db).map((m) => m.topic),
      ['store-analytics/s/door/minute'],
    );
    db.close();
  });

  it("queues an hour's heat once the next hour is written, compact, and drawn back within 1/255 of its peak", () => {
    const db = new HistoryDb(tmpDb(), t0, () => [new OutboxHook('s')]);
    const grid = (hour: number, scale: number): HourHeat => ({
      cameraId: 'door',
      hour,
      startedAt: t0,
      cols: 64,
      rows: 36,
      cellSize: 12,
      width: 768,
      height: 432,
      cells: Float32Array.from({ length: 64 * 36 }, (_, i) => ((i % 97) / 97) * scale),
    });
    db.write({ heat: [grid(t0, 3)] });
    db.write({ heat: [grid(t0, 5)] }); // the hour grows: not yet over
    assert.equal(new Outbox(db.db).stats().messages, 0);
    db.write({ heat: [grid(t0 + 3_600_000, 1)] });
    const [heat] = new Outbox(db.db).next(0, 10);
    assert.equal(heat.topic, 'store-analytics/s/door/heat');
    const p = JSON.parse(heat.payload) as HeatPayload;
    assert.equal(p.time, new Date(t0).toISOString());
    assert.ok(heat.payload.length < 4000, `${heat.payload.length} bytes for 2304 cells`);
    const back = heatCells(p);
    const want = grid(t0, 5).cells;
    for (let i = 0; i < want.length; i++)
      assert.ok(Math.abs(back[i] - want[i]) <= p.peak / 255 / 2 + 1e-4, `cell ${i}`);
    db.write({ heat: [grid(t0 + 3_600_000, 2)] });
    assert.equal(new Outbox(db.db).stats().messages, 1, 'each hour once');
    db.close();
  });
});
