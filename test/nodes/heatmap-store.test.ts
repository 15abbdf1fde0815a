import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import heatmapNode from '../../nodes/heatmap/heatmap';
import type { HeatmapMessage } from '../../nodes/heatmap/heatmap-types';
import heatmapStoreNode from '../../nodes/heatmap-store/heatmap-store';
import type { SavedMessage } from '../../nodes/heatmap-store/heatmap-store-types';
import { dayFolder } from '../../nodes/lib/time/local-day';
import { testTmp } from '../../support/assets';
import {
  getNode,
  helper,
  loadFlow,
  loggedErrors,
  loggedText,
  received,
  recordStatuses,
  statusesSince,
} from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';

const nodes = [heatmapNode, heatmapStoreNode];

describe('heatmap-store node', function () {
  this.timeout(30000);
  const base = path.join(testTmp, 'heatmap-store');
  const today = () => path.join(base, dayFolder(Date.now()));
  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(() => rmSync(base, { recursive: true, force: true }));
  afterEach(() => helper.unload());

  /** heatmap -> store -> (restore) -> heatmap, as in the default flow. */
  const flow = (storeConfig: object = {}) => [
    { id: 'heat', type: 'heatmap', overlayFps: 0, snapshotInterval: 0, wires: [['stats'], [], ['store']] },
    {
      id: 'store',
      type: 'heatmap-store',
      directory: base,
      autosave: 0,
      answerOwnOutput: true,
      ...storeConfig,
      wires: [['saved'], ['heat'], ['answers']],
    },
    { id: 'stats', type: 'helper' },
    { id: 'saved', type: 'helper' },
    { id: 'answers', type: 'helper' },
  ];
  // Frames of "now" (a restore only takes today's heat): two people, 10 fps.
  let clock = Date.now();
  const frame = (people: Array<[number, number]>, unique: number) => {
    clock += 100;
    return {
      topic: 'plaza',
      frame: { sourceId: 'plaza', capturedAt: clock, width: 768, height: 576 },
      tracks: people.map((footPoint, i) => ({ id: i + 1, footPoint })),
      counts: { inView: people.length, unique },
    };
  };

  it('saves NumPy data, PNG and JSON on a save request, and restores the day after a restart', async () => {
    clock = Date.now();
    await loadFlow(nodes, flow());
    const saved = received<SavedMessage>('saved');
    const stats = received<HeatmapMessage>('stats');
    const heat = getNode('heat');
    // The tracker counts from 0; its first two people are confirmed at the third frame.
    for (let i = 0; i <= 30; i++)
      heat.receive(
        frame(
          [
            [200, 300],
            [500, 350],
          ],
          i < 2 ? 0 : 2,
        ),
      );
    const answers = received<SavedMessage>('answers');
    heat.receive({ topic: 'save', requestId: 'r1', req: { path: '/save_heatmap' }, res: {} });
    await waitFor(() => saved.length === 1 && answers.length === 1, 10000, 'the save to be answered');
    // The notice on output 1 says what was written; the HTTP answer goes on output 3 only.
    assert.equal(saved[0].topic, 'heatmap/saved');
    assert.equal((saved[0] as { res?: unknown }).res, undefined, 'no HTTP response object on the notice');
    assert.deepEqual(saved[0].payload.saved, answers[0].payload.saved);
    const answer = answers[0] as SavedMessage & { requestId?: string };
    assert.equal(answer.requestId, 'r1', 'the request message comes back, with its HTTP res');
    assert.equal(answer.statusCode, undefined);
    assert.equal(answer.payload.saved.length, 1);
    // The answer (it may go to the store login over HTTP) names the files under the store's directory,
    // not where that is on the disk; a flow finds the directory on the message.
    const saved0 = answer.payload.saved[0];
    assert.equal(saved0.npy, path.join(dayFolder(Date.now()), 'heatmap_plaza.npy'));
    assert.doesNotMatch(JSON.stringify(answer.payload), new RegExp(base));
    assert.equal(answer.directory, base);
    const files = {
      npy: path.join(base, saved0.npy),
      png: path.join(base, saved0.png),
      json: path.join(base, saved0.json),
    };
    assert.ok(readFileSync(files.png).subarray(1, 4).equals(Buffer.from('PNG')));
    const meta = JSON.parse(readFileSync(files.json, 'utf8'));
    assert.equal(meta.cameraId, 'plaza');
    assert.ok(Math.abs(meta.statistics.totalActivitySeconds - 6) < 1e-3);
    assert.equal(meta.visitors, 2);
    // The grid loads in NumPy with the heat in it.
    const numpy = execFileSync('/usr/bin/python3', [
      '-c',
      `import numpy; a = numpy.load('${files.npy}'); print(a.shape, a.dtype, round(float(a.sum()), 3))`,
    ])
      .toString()
      .trim();
    assert.equal(numpy, '(72, 96) float32 6.0');
    const savedStats = stats[stats.length - 1].heatmap.statistics;

    // Restart: a new runtime reads today's snapshot and hands it back to the heatmap.
    await helper.unload();
    clock += 20_000; // 20 s later the camera delivers again
    await loadFlow(nodes, flow());
    const after = received<HeatmapMessage>('stats');
    const heat2 = getNode('heat');
    await new Promise((r) => setTimeout(r, 500)); // the store reads the disk
    heat2.receive(frame([[200, 300]], 0));
    heat2.receive(frame([[200, 300]], 1));
    await waitFor(() => after.length === 2, 5000, 'two frames after the restart');
    const restored = after[1].heatmap;
    assert.ok(
      Math.abs(restored.statistics.totalActivitySeconds - (savedStats.totalActivitySeconds + 0.1)) < 1e-3,
      `${restored.statistics.totalActivitySeconds}`,
    );
    assert.equal(restored.statistics.uniquePeople, 3, 'the 2 visitors of before and 1 new one');
    assert.equal(restored.startedAt, savedStats.since);
    assert.ok(restored.cameraGapSeconds >= 20, `a gap of ${restored.cameraGapSeconds} s since the save`);
    assert.deepEqual(loggedErrors(), []);
  });

  it('answers an HTTP save on output 1, with the notices, for a node saved before output 3 existed', async () => {
    // A flow saved before: no answerOwnOutput, its http response wired to output 1.
    const legacy = flow().map((n) => {
      if (n.id !== 'store') return n;
      const old: Record<string, unknown> = { ...n };
      delete old.answerOwnOutput;
      return old;
    });
    await loadFlow(nodes, legacy);
    const saved = received<SavedMessage>('saved');
    const answers = received<SavedMessage>('answers');
    getNode('heat').receive({ topic: 'save', requestId: 'old', req: { path: '/save_heatmap' }, res: {} });
    await waitFor(
      () => saved.some((m) => (m as { requestId?: string }).requestId === 'old'),
      10000,
      'the answer on output 1',
    );
    assert.equal(answers.length, 0, 'nothing on output 3');
  });

  it('writes what it holds when it stops (redeploy) and autosaves only changed heat', async () => {
    clock = Date.now();
    await loadFlow(nodes, flow({ autosave: 0 }));
    const heat = getNode('heat');
    for (let i = 0; i <= 10; i++) heat.receive(frame([[300, 300]], i < 2 ? 0 : 1));
    heat.receive({ topic: 'snapshot' }); // sent to the store, not written yet
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(existsSync(path.join(today(), 'heatmap_plaza.npy')), false);
    await helper.unload();
    assert.ok(existsSync(path.join(today(), 'heatmap_plaza.npy')), 'written on close');
  });

  it('saves the emptied day at a reset, so a restart does not bring old heat back', async () => {
    clock = Date.now();
    await loadFlow(nodes, flow());
    const saved = received<SavedMessage>('saved');
    const heat = getNode('heat');
    for (let i = 0; i <= 10; i++) heat.receive(frame([[300, 300]], i < 2 ? 0 : 1));
    heat.receive({ topic: 'save' });
    await waitFor(() => saved.length === 1, 10000, 'a save');
    heat.receive({ topic: 'reset' });
    await waitFor(() => saved.length === 2, 10000, 'the reset to be saved');
    const meta = JSON.parse(readFileSync(path.join(today(), 'heatmap_plaza.json'), 'utf8'));
    assert.equal(meta.statistics.totalActivitySeconds, 0);
    assert.equal(meta.visitors, 0);
  });

  it('writes a reset made right after a restart at once (it is not mistaken for a stale snapshot)', async () => {
    clock = Date.now();
    await loadFlow(nodes, flow());
    const saved = received<SavedMessage>('saved');
    const heat = getNode('heat');
    for (let i = 0; i <= 10; i++) heat.receive(frame([[300, 300]], i < 2 ? 0 : 1));
    heat.receive({ topic: 'save' });
    await waitFor(() => saved.length === 1, 10000, 'a save');
    await helper.unload();

    await loadFlow(nodes, flow());
    const savedAgain = received<SavedMessage>('saved');
    await new Promise((r) => setTimeout(r, 500)); // the store restores the day
    getNode('heat').receive({ topic: 'reset' });
    await waitFor(() => savedAgain.length === 1, 10000, 'the reset to be written');
    const meta = JSON.parse(readFileSync(path.join(today(), 'heatmap_plaza.json'), 'utf8'));
    assert.equal(meta.statistics.totalActivitySeconds, 0);
  });

  it('reports a damaged snapshot at start, skips it, and replaces it at the next save', async () => {
    mkdirSync(today(), { recursive: true });
    writeFileSync(
      path.join(today(), 'heatmap_plaza.json'),
      JSON.stringify({ cameraId: 'plaza', gridRows: 72, gridCols: 96 }),
    );
    writeFileSync(path.join(today(), 'heatmap_plaza.npy'), Buffer.from('\x93NUMPY garbage'));
    clock = Date.now();
    await loadFlow(nodes, flow());
    const statuses = recordStatuses(getNode('store'));
    await waitFor(() => loggedErrors().length > 0, 5000, 'the damaged file to be reported');
    assert.match(loggedErrors()[0], /heatmap_plaza\.npy is damaged/);
    await waitFor(() => statuses.some((s) => s.fill === 'red'), 5000, 'a red status');
    const saved = received<SavedMessage>('saved');
    const heat = getNode('heat');
    for (let i = 0; i <= 10; i++) heat.receive(frame([[300, 300]], i < 2 ? 0 : 1));
    heat.receive({ topic: 'save' });
    await waitFor(() => saved.length === 1, 10000, 'a save');
    assert.equal(saved[0].payload.error, undefined);
    assert.equal(JSON.parse(readFileSync(path.join(today(), 'heatmap_plaza.json'), 'utf8')).visitors, 1);
  });

  it('keeps the heat when a write fails, says so, and writes it once the disk is back', async () => {
    // The day's folder cannot be made: a file sits where the base directory should be.
    mkdirSync(path.dirname(base), { recursive: true });
    writeFileSync(base, 'not a directory');
    clock = Date.now();
    await loadFlow(nodes, flow({ autosave: 1 }));
    const answers = received<SavedMessage>('answers');
    const statuses = recordStatuses(getNode('store'));
    const heat = getNode('heat');
    for (let i = 0; i <= 10; i++) heat.receive(frame([[300, 300]], i < 2 ? 0 : 1));
    heat.receive({ topic: 'save', req: { path: '/save_heatmap' }, res: {} });
    await waitFor(() => answers.length === 1, 10000, 'the save to be answered');
    assert.equal(answers[0].statusCode, 500);
    assert.match(answers[0].payload.error ?? '', /could not save the heatmap of plaza/);
    assert.doesNotMatch(
      answers[0].payload.error ?? '',
      new RegExp(base),
      'no path on the disk in the answer',
    );
    assert.match(loggedErrors().join('\n'), /could not save the heatmap of plaza/);
    assert.ok(statuses.some((s) => s.fill === 'red' && /kept in memory/.test(String(s.text))));
    rmSync(base);
    await waitFor(() => existsSync(path.join(today(), 'heatmap_plaza.npy')), 10000, 'the retry to write');
    assert.equal(readdirSync(today()).filter((f) => f.includes('.tmp')).length, 0, 'no temporary files left');
  });

  it('answers a message that is neither a snapshot nor a save with an error', async () => {
    await loadFlow(nodes, flow());
    getNode('store').receive({ payload: 'hello' });
    await waitFor(() => loggedErrors().length > 0, 5000, 'an error');
    assert.match(loggedText(), /expected msg.topic "heatmap\/snapshot"/);
  });

  it("answers a restarted heatmap with today's newest heat, held or on disk", async () => {
    clock = Date.now();
    await loadFlow(
      nodes,
      [...flow(), { id: 'restores', type: 'helper' }].map((n) =>
        n.id === 'store' ? { ...n, wires: [['saved'], ['heat', 'restores'], []] } : n,
      ),
    );
    const saved = received<SavedMessage>('saved');
    const restores = received<{
      payload: Array<{ meta: { savedAt: number; statistics: { totalActivitySeconds: number } } }>;
    }>('restores');
    const heat = getNode('heat');
    for (let i = 0; i <= 10; i++) heat.receive(frame([[300, 300]], 0));
    heat.receive({ topic: 'save' });
    await waitFor(() => saved.length === 1, 10000, 'a save');
    for (let i = 11; i <= 30; i++) heat.receive(frame([[300, 300]], 0));
    heat.receive({ topic: 'snapshot' }); // handed over, not written (autosave is off)
    await new Promise((r) => setTimeout(r, 200));
    const before = restores.length; // the heatmap asked once itself, when the flows started
    getNode('store').receive({ topic: 'heatmap/restore-request' });
    await waitFor(() => restores.length === before + 1, 10000, 'the answer');
    const [snapshot] = restores[restores.length - 1].payload;
    assert.ok(
      snapshot.meta.statistics.totalActivitySeconds > 2.5,
      `the held snapshot (${snapshot.meta.statistics.totalActivitySeconds} s), newer than the file`,
    );
  });

  describe('one store per folder', () => {
    /** The default flow's heatmap and store, and a copy of the store on the same folder. */
    const withCopy = (directory = base) => [
      ...flow().map((n) => (n.id === 'store' ? { ...n, name: 'save heat per day' } : n)),
      {
        id: 'copy',
        type: 'heatmap-store',
        name: 'save heat per day',
        directory,
        autosave: 0,
        answerOwnOutput: true,
        wires: [['saved'], [], ['answers']],
      },
    ];

    it('refuses a second store on the same folder with a red status and an error naming the first', async () => {
      await loadFlow(nodes, withCopy());
      const refusal = loggedErrors().filter((e) => /already used by/.test(e));
      assert.equal(refusal.length, 1, loggedErrors().join('\n'));
      assert.ok(
        refusal[0].includes(
          `saved heatmaps folder ${base} is already used by heatmap-store "save heat per day" (node store)`,
        ),
        refusal[0],
      );
      const [status] = statusesSince('copy');
      assert.equal(status.fill, 'red');
      assert.match(String(status.text), /refused: saved heatmaps folder used by .*\(node store\)/);
    });

    it('answers a save asked of the refused store with 503 and the reason; the first one saves', async () => {
      clock = Date.now();
      await loadFlow(nodes, withCopy());
      const saved = received<SavedMessage>('saved');
      const answers = received<SavedMessage>('answers');
      for (let i = 0; i <= 10; i++) getNode('heat').receive(frame([[300, 300]], 1));
      getNode('heat').receive({ topic: 'save' });
      getNode('copy').receive({ topic: 'save', req: { path: '/save_heatmap' }, res: {} });
      await waitFor(() => saved.length === 1 && answers.length === 1, 10000, 'a notice and an answer');
      const [refused] = answers;
      assert.equal(refused.statusCode, 503);
      assert.match(
        String(refused.payload.error),
        /already used by heatmap-store "save heat per day" \(node store\)/,
      );
      assert.ok(!String(refused.payload.error).includes(base), 'the store login does not learn where it is');
      assert.deepEqual(refused.payload.saved, []);
      assert.equal(saved[0].payload.saved.length, 1);
      assert.ok(existsSync(path.join(today(), 'heatmap_plaza.npy')));
    });

    it('lets two stores on two folders both work', async () => {
      await loadFlow(nodes, withCopy(path.join(base, 'elsewhere')));
      assert.deepEqual(loggedErrors(), []);
    });

    it('does not refuse itself at a full deploy, a modified-nodes deploy or a reload', async () => {
      const start = flow();
      await loadFlow(nodes, start);
      await helper.setFlows(start, 'full');
      const changed = (autosave: number, id = 'store') =>
        start.map((n) => (n.id === 'store' ? { ...n, id, autosave } : n));
      // Only the store changed: Node-RED stops it (it writes what it holds) and starts the new one.
      await helper.setFlows(changed(600), 'nodes');
      await helper.setFlows(changed(900), 'flows');
      // The store deleted and another added in one deploy: the old one closes first and lets go.
      await helper.setFlows(changed(900, 'replacement'), 'nodes');
      assert.deepEqual(loggedErrors(), []);
      await helper.unload();
      await loadFlow(nodes, changed(300, 'another'));
      assert.deepEqual(loggedErrors(), []);
    });
  });
});
