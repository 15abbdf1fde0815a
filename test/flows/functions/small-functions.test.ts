import assert from 'node:assert/strict';
import { functionNode } from './function-node';

type Message = Record<string, unknown>;

describe('function reset-answer', () => {
  it('answers which cameras were reset', () => {
    const answer = functionNode('reset-answer').run({ cameras: ['camera-2'] }) as Message;
    assert.deepEqual({ ...(answer.payload as object), at: 0 }, { reset: true, cameras: ['camera-2'], at: 0 });
    const all = functionNode('reset-answer').run({}) as { payload: { cameras: unknown } };
    assert.equal(all.payload.cameras, 'all');
  });
});

describe('function save-answer (remember the last save)', () => {
  it('remembers the latest save of the restored day, answering nobody', () => {
    const f = functionNode('save-answer', { flow: { lastSavedAt: 100 } });
    const restore = {
      topic: 'restore',
      payload: [{ meta: { savedAt: 300 } }, { meta: { savedAt: 200 } }, null],
    };
    assert.equal(f.run(restore), null);
    assert.equal(f.flow.get('lastSavedAt'), 300);
    assert.equal(f.run({ topic: 'restore', payload: [{ meta: { savedAt: 50 } }] }), null);
    assert.equal(f.flow.get('lastSavedAt'), 300, 'an older restore does not go back');
  });

  it("remembers each save the store's notices tell, but not a failed one; answers nobody", () => {
    const f = functionNode('save-answer');
    // heatmap-store answers a save asked over HTTP on an output of its own: here come its notices.
    assert.equal(f.run({ topic: 'heatmap/saved', payload: { savedAt: 500 } }), null);
    assert.equal(f.flow.get('lastSavedAt'), 500);
    assert.equal(f.run({ topic: 'heatmap/saved', payload: { savedAt: 600 } }), null);
    assert.equal(f.flow.get('lastSavedAt'), 600);
    f.run({ topic: 'heatmap/saved', payload: { error: 'disk full', savedAt: 700 } });
    assert.equal(f.flow.get('lastSavedAt'), 600);
  });
});

describe('function keep-counting (keep footfall and zones)', () => {
  it("keeps each camera's latest footfall and zones, from either node", () => {
    const f = functionNode('keep-counting');
    const footfall = { cameraId: 'camera-1', in: 3 };
    assert.equal(f.run({ footfall }), null);
    f.run({ zones: { cameraId: 'camera-1', zones: { till: { occupancy: 2 } } } });
    f.run({ zones: { cameraId: 'camera-2', zones: {} } });
    f.run({ payload: 'a frame of a camera not counted' });
    assert.deepEqual(f.flow.get('counting'), {
      'camera-1': { footfall, zones: { till: { occupancy: 2 } } },
      'camera-2': { footfall: undefined, zones: {} },
    });
  });
});

describe('function alert-text', () => {
  it("words zone-monitor's alerts for staff", () => {
    const alert = { cameraId: 'camera-1', zone: 'till', measure: 'queueLength', above: 4, forSeconds: 30 };
    const raised = functionNode('alert-text').run({ payload: { ...alert, state: 'raised', value: 5.4 } });
    assert.deepEqual(raised, {
      topic: 'Alert: till',
      payload: 'camera-1, till: more than 4 people queuing for 30 s (now 5)',
    });
    const cleared = functionNode('alert-text').run({ payload: { ...alert, state: 'cleared', value: 2 } });
    assert.deepEqual(cleared, { topic: 'Cleared: till', payload: 'camera-1, till: back to 2' });
  });
});

describe('functions export-ask and export-file (example 04)', () => {
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };

  it("asks history for a day's hours as CSV: today from the button, yesterday at night", () => {
    const now = functionNode('export-ask').run({ topic: 'export today' }) as Message;
    assert.deepEqual(now, {
      topic: 'history',
      exportDate: today(),
      payload: { from: today(), to: today(), step: 'hour', format: 'csv' },
    });
    const night = functionNode('export-ask').run({ topic: 'export yesterday' }) as { exportDate: string };
    assert.ok(night.exportDate < today());
  });

  it("names the day's file in HISTORY_EXPORT_DIR or beside the database, and keeps only its answers", () => {
    const answer = { topic: 'history', exportDate: '2026-03-01', statusCode: 200, historyDir: '/data' };
    const f = functionNode('export-file');
    assert.equal((f.run({ ...answer }) as Message).filename, '/data/exports/history-2026-03-01.csv');
    const shared = functionNode('export-file', { env: { HISTORY_EXPORT_DIR: '/mnt/share' } });
    assert.equal((shared.run({ ...answer }) as Message).filename, '/mnt/share/history-2026-03-01.csv');
    assert.equal(f.run({ topic: 'history/report', statusCode: 200 }), null, "the History tab's report");
    const failed = functionNode('export-file');
    assert.equal(failed.run({ ...answer, statusCode: 500, payload: 'no database\n' }), null);
    assert.equal(failed.errors.length, 1);
  });
});
