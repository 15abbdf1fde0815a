import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync } from 'node:fs';
import path from 'node:path';
import { HistoryDb } from '../../../nodes/lib/history/history-db';
import { HistoryRegistry, type OpenHistory } from '../../../nodes/lib/history/history-registry';
import { HistoryService, type HistoryStatus } from '../../../nodes/lib/history/history-service';
import type { MinuteRow } from '../../../nodes/lib/history/minute-row';
import type { HistoryWriteHook } from '../../../nodes/lib/history/write-hook';
import { testTmp } from '../../../support/assets';

const tmpDb = () => {
  mkdirSync(testTmp, { recursive: true });
  return path.join(mkdtempSync(path.join(testTmp, 'history-service-')), 'history.db');
};

/** A service on a fresh file, in a registry of its own, and what it reported. */
function serviceOn(file = tmpDb(), registry = new HistoryRegistry()) {
  const said = {
    errors: [] as string[],
    warnings: [] as string[],
    written: [] as MinuteRow[][],
    status: [] as HistoryStatus[],
  };
  const service = new HistoryService(
    { file, retentionDays: 400, maxFrameIntervalSeconds: 2, tickMs: 60_000, registry },
    {
      error: (t) => said.errors.push(t),
      warn: (t) => said.warnings.push(t),
      log: () => undefined,
      written: (rows) => said.written.push(rows),
      status: (s) => said.status.push(s),
    },
  );
  return { service, said, file, registry };
}

const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const frame = (at: number, people: number) => ({
  frame: { capturedAt: at },
  tracks: Array.from({ length: people }, (_, i) => ({ id: i })),
});
/** Frames of one whole minute of camera `door`, then the next minute's first. */
function feedMinute(service: HistoryService, minute: number, people = 2): void {
  for (let s = 0; s < 60; s += 2) service.frame('door', frame(minute + s * 1000, people));
  service.frame('door', frame(minute + 60_000, 0));
}

describe('history service: frames in, minutes written, queries answered, the database offered', () => {
  it('writes a finished minute, says so, and answers it as JSON, CSV and the report', async () => {
    const { service, said } = serviceOn();
    service.start();
    try {
      feedMinute(service, start);
      service.writeFinished();
      assert.equal(said.written.length, 1);
      assert.equal(said.written[0][0].minute, start);
      assert.equal(said.status.at(-1)?.state, 'ok');
      const date = new Date(start);
      const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
      const json = await service.answer({ camera: 'door', date: day, step: 'minute' }, 'json', true);
      assert.equal(json.statusCode, 200);
      assert.equal(json.error, undefined);
      const csv = await service.answer({ camera: 'door', date: day }, 'csv', true);
      assert.match(String(csv.headers?.['content-disposition']), /attachment; filename="history-/);
      const report = await service.answer({}, 'report', false);
      assert.equal(report.statusCode, 200);
    } finally {
      service.close();
    }
  });

  it('answers a bad query with 400: the reason in the answer, an error only for a flow', async () => {
    const { service } = serviceOn();
    service.start();
    try {
      const http = await service.answer({ step: 'week' }, 'json', true);
      assert.equal(http.statusCode, 400);
      assert.ok((http.payload as { error: string }).error);
      assert.equal(http.error, undefined, 'an HTTP caller reads it in its answer');
      const flow = await service.answer({ step: 'week' }, 'csv', false);
      assert.equal(flow.statusCode, 400);
      assert.match(String(flow.payload), /\n$/);
      assert.match(String(flow.error), /^history query failed: /);
    } finally {
      service.close();
    }
  });

  it('offers its open database in the registry and withdraws it at close; hooks set on the file join its writes', () => {
    const { service, said, file, registry } = serviceOn();
    const seen: string[] = [];
    let offered: OpenHistory | null = null;
    registry.watch(file, {
      appeared: (h) => {
        offered = h;
        seen.push('appeared');
      },
      gone: () => seen.push('gone'),
    });
    const batches: number[] = [];
    const hook: HistoryWriteHook = { written: (_tx, batch) => batches.push(batch.minutes?.length ?? 0) };
    registry.setHook(file, 'test', hook);
    service.start();
    try {
      feedMinute(service, start);
      service.writeFinished();
      assert.deepEqual(batches, [said.written[0].length], 'the hook saw the write');
      const connection = offered!.connect();
      try {
        const rows = connection.prepare('SELECT count(*) FROM minutes').pluck().get();
        assert.equal(rows, said.written[0].length, 'a connection of its own');
      } finally {
        connection.close();
      }
    } finally {
      service.close();
    }
    assert.deepEqual(seen, ['appeared', 'gone']);
  });

  it('reopens a file replaced under it and keeps the rows in memory meanwhile', () => {
    const { service, said, file, registry } = serviceOn();
    let appeared = 0;
    registry.watch(file, { appeared: () => appeared++, gone: () => undefined });
    service.start();
    try {
      renameSync(file, `${file}.moved`);
      feedMinute(service, start);
      service.writeFinished();
      assert.ok(said.errors.some((e) => /was removed or replaced while open/.test(e)));
      assert.equal(appeared, 2, 'offered again once reopened');
      const db = new HistoryDb(file);
      try {
        assert.equal([...db.minutes('door', start, start + 60_000)].length, 1, 'written to the new file');
      } finally {
        db.close();
      }
    } finally {
      service.close();
    }
  });

  it('warns at start when the run before stopped without closing', () => {
    const file = tmpDb();
    new HistoryDb(file, Date.now() - 60_000).db.close(); // a run killed: never marked ended
    const { service, said } = serviceOn(file);
    service.start();
    service.close();
    assert.ok(said.warnings.some((w) => /stopped without closing history/.test(w)));
  });
});
