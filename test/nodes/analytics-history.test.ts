import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import historyNode from '../../nodes/analytics-history/analytics-history';
import { localDate } from '../../nodes/lib/time/local-time';
import { testTmp } from '../../support/assets';
import {
  getNode,
  helper,
  loadFlow,
  loggedErrors,
  loggedText,
  statusesSince,
} from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';

type Answer = { statusCode?: number; payload?: unknown; topic?: string; historyDir?: string };

describe('analytics-history node', function () {
  this.timeout(30000);
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  /** The node with a helper on each output; what each received. */
  async function load(): Promise<{ file: string; outputs: Answer[][] }> {
    mkdirSync(testTmp, { recursive: true });
    const file = path.join(mkdtempSync(path.join(testTmp, 'history-node-')), 'history.db');
    await loadFlow(historyNode, [
      { id: 'h', type: 'analytics-history', file, wires: [['http'], ['flow'], ['minutes']] },
      { id: 'http', type: 'helper' },
      { id: 'flow', type: 'helper' },
      { id: 'minutes', type: 'helper' },
    ]);
    const outputs: Answer[][] = [[], [], []];
    ['http', 'flow', 'minutes'].forEach((id, i) =>
      getNode(id).on('input', ((m: Answer) => outputs[i].push(m)) as never),
    );
    return { file, outputs };
  }

  /** A frame as the heatmap sends it on: camera, capture time, tracks, the day's totals. */
  const frame = (at: number, people: number, visitors: number) => ({
    frame: { sourceId: 'camera-1', capturedAt: at },
    tracks: Array.from({ length: people }, (_, i) => ({ id: i })),
    heatmap: { startedAt: at - 3_600_000, statistics: { uniquePeople: visitors, totalActivitySeconds: 0 } },
  });
  /** A fake response object, as http in puts on msg.res. */
  const res = { _res: {}, send: () => undefined };

  it('writes a minute as soon as the next minute begins, and sends its row on the third output', async () => {
    const { outputs } = await load();
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 120_000; // two minutes ago, whole
    for (let t = start; t < start + 60_000; t += 1000) getNode('h').receive(frame(t, 2, 5));
    getNode('h').receive(frame(start + 60_000, 1, 7)); // the next minute's first frame
    // Well before the node's 5 s tick: the new minute's frame wrote it.
    const [sent] = await waitFor(() => (outputs[2].length ? outputs[2] : null), 1500, 'the minute rows');
    assert.equal(sent.topic, 'history/minutes');
    const [row] = sent.payload as Array<{ minute: number; peopleMax: number; coveredSeconds: number }>;
    assert.equal(row.minute, start);
    assert.equal(row.peopleMax, 2);
    assert.ok(row.coveredSeconds >= 58, String(row.coveredSeconds));
  });

  it('takes a heat snapshot that carries an HTTP request (a save) as heat, and answers nothing', async () => {
    const { outputs } = await load();
    getNode('h').receive({
      topic: 'heatmap/snapshot',
      payload: [],
      req: { path: '/save_heatmap', query: {} },
      res,
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(outputs[0].length + outputs[1].length, 0);
    assert.deepEqual(loggedErrors(), []);
  });

  it('answers a request on another path with 404 and says which paths it serves', async () => {
    const { outputs } = await load();
    getNode('h').receive({ req: { path: '/statistics', query: {} }, res });
    const [answer] = await waitFor(() => (outputs[0].length ? outputs[0] : null), 5000, 'an answer');
    assert.equal(answer.statusCode, 404);
    assert.match(
      String(answer.payload),
      /paths ending in \/history, \/history\.csv or \/heatmap\.png, not \/statistics/,
    );
    assert.ok(loggedErrors().some((e) => /not \/statistics/.test(e)));
  });

  it("answers a flow's query on the second output (with where the database is), and a bad one with 400 and an error", async () => {
    const { file, outputs } = await load();
    getNode('h').receive(frame(Date.now() - 2000, 1, 1));
    getNode('h').receive({ topic: 'history', payload: { step: 'hour', format: 'csv' } });
    const [csv] = await waitFor(() => (outputs[1].length ? outputs[1] : null), 5000, 'the CSV');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.payload), /^time,camera,covered_seconds/);
    assert.equal(csv.historyDir, path.dirname(file));
    getNode('h').receive({ topic: 'history', payload: { step: 'week' } });
    const bad = await waitFor(() => (outputs[1].length > 1 ? outputs[1][1] : null), 5000, 'the refusal');
    assert.equal(bad.statusCode, 400);
    assert.ok(loggedErrors().some((e) => /step must be minute, hour or day/.test(e)));
  });

  it('leaves the minute in progress out of a query, while the camera streams: it is no gap', async () => {
    const { outputs } = await load();
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    // The last minute whole, and this one so far: the first frame of this minute writes the last.
    for (let t = minute - 60_000; t <= now; t += 500) getNode('h').receive(frame(t, 2, 3));
    await waitFor(() => (outputs[2].length ? outputs[2] : null), 5000, 'the last minute written');
    // From the day of the last minute: at midnight that is yesterday.
    const from = localDate(minute - 60_000);
    getNode('h').receive({ topic: 'history', payload: { step: 'minute', from } });
    const [answer] = await waitFor(() => (outputs[1].length ? outputs[1] : null), 5000, 'the answer');
    const rows = (answer.payload as { rows: Array<{ time: string; gapSeconds: number; peopleMean: number }> })
      .rows;
    assert.deepEqual(
      rows.map((r) => [Date.parse(r.time), r.gapSeconds, r.peopleMean]),
      [[minute - 60_000, 0, 2]],
      'the minute that is over, whole; none for the minute in progress',
    );
    getNode('h').receive({ topic: 'history', payload: { step: 'hour', from } });
    const [, hour] = await waitFor(() => (outputs[1].length > 1 ? outputs[1] : null), 5000, 'the hours');
    const hours = (hour.payload as { rows: Array<{ time: string; gapSeconds: number }> }).rows;
    const current = hours[hours.length - 1];
    // The hour's time before the first frame is a gap; the minute in progress is not.
    assert.equal(current.gapSeconds, Math.round((minute - 60_000 - Date.parse(current.time)) / 100) / 10);
  });

  it("reports a message it does not take as an error; other nodes' commands (start, stop, restart too) pass quietly", async () => {
    await load();
    for (const topic of ['start', 'stop', 'restart', 'reset', 'save', 'heatmap/restore-request'])
      getNode('h').receive({ topic });
    getNode('h').receive({ payload: 'hello' });
    const expected = () => loggedErrors().filter((e) => /expected a frame with msg\.tracks/.test(e));
    await waitFor(() => expected().length > 0, 5000, 'the error');
    assert.equal(expected().length, 1, 'only the message no node takes');
  });

  describe('one history node per database', () => {
    const dbFile = () => path.join(mkdtempSync(path.join(testTmp, 'history-claim-')), 'history.db');
    /** Two history nodes, `copy` on the same file as `h` unless `otherFile` is given. */
    const twoNodes = (file: string, otherFile = file) => [
      { id: 'h', type: 'analytics-history', name: 'history per minute', file, wires: [['http'], [], []] },
      {
        id: 'copy',
        type: 'analytics-history',
        name: 'history per minute',
        file: otherFile,
        wires: [['http'], [], []],
      },
      { id: 'http', type: 'helper' },
    ];

    it('refuses a second node on the same file with a red status and an error naming the first', async () => {
      const file = dbFile();
      await loadFlow(historyNode, twoNodes(file));
      const refusal = loggedErrors().filter((e) => /already used by/.test(e));
      assert.equal(refusal.length, 1, loggedErrors().join('\n'));
      assert.match(
        refusal[0],
        new RegExp(
          `history database ${file} is already used by analytics-history "history per minute" \\(node h\\)`,
        ),
      );
      const [status] = statusesSince('copy');
      assert.equal(status.fill, 'red');
      assert.match(String(status.text), /refused: history database used by .*\(node h\)/);
      // The first one works; the copy neither opened the database nor warns of a crashed run.
      assert.equal(statusesSince('h').at(-1)?.fill, 'grey');
      assert.doesNotMatch(loggedText(), /stopped without closing history/);
    });

    it("answers the refused node's HTTP requests with 503 and the reason, and the first node's as usual", async () => {
      const file = dbFile();
      await loadFlow(historyNode, twoNodes(file));
      const answers: Answer[] = [];
      getNode('http').on('input', ((m: Answer) => answers.push(m)) as never);
      getNode('copy').receive({ req: { path: '/history', query: {} }, res });
      getNode('copy').receive({
        topic: 'heatmap/snapshot',
        payload: [],
        req: { path: '/save_heatmap' },
        res,
      });
      getNode('h').receive({ req: { path: '/history', query: {} }, res });
      await waitFor(() => answers.length >= 2, 5000, 'two answers');
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 503]);
      const refused = String(answers.find((a) => a.statusCode === 503)!.payload);
      assert.match(
        refused,
        /history database is already used by analytics-history "history per minute" \(node h\)/,
      );
      assert.ok(!refused.includes(path.dirname(file)), 'the store login does not learn where the file is');
    });

    it('lets two nodes on two files both work', async () => {
      const file = dbFile();
      await loadFlow(historyNode, twoNodes(file, path.join(path.dirname(file), 'other.db')));
      assert.deepEqual(loggedErrors(), []);
    });

    it('does not refuse itself at a full deploy, a modified-nodes deploy or a reload', async () => {
      const file = dbFile();
      const flow = (retentionDays: number, id = 'h') => [
        { id, type: 'analytics-history', file, retentionDays, wires: [[], [], []] },
      ];
      await loadFlow(historyNode, flow(400));
      await helper.setFlows(flow(400), 'full');
      // Only the history node changed: Node-RED stops it and starts its new instance.
      await helper.setFlows(flow(300), 'nodes');
      await helper.setFlows(flow(200), 'flows');
      // A node deleted and another added in one deploy: the old one closes first and lets go.
      await helper.setFlows(flow(200, 'replacement'), 'nodes');
      assert.deepEqual(loggedErrors(), []);
      assert.doesNotMatch(loggedText(), /stopped without closing history/);
      await helper.unload();
      // Closed: the file is free for whichever node comes next.
      await loadFlow(historyNode, flow(400, 'another'));
      assert.deepEqual(loggedErrors(), []);
    });
  });
});
