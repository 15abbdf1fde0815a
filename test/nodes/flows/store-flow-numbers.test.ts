import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { NodeAPI } from 'node-red';
import { camerasFromEnvironment, FlowNode, storeAnalyticsFlow } from '../../../flows/store-analytics-flow';
import heatmapStoreNode from '../../../nodes/heatmap-store/heatmap-store';
import { CameraDay } from '../../../nodes/lib/heatmap/camera-day';
import { DEFAULT_HEAT_OPTIONS } from '../../../nodes/lib/heatmap/heat-accumulator';
import { dayFolder } from '../../../nodes/lib/time/local-day';
import { testTmp } from '../../../support/assets';
import { getNode, helper, loadFlow } from '../../../support/node-red/test-helper';
import { waitFor } from '../../../support/processes';

// Node-RED's own function node, which runs the shipped flow's code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const functionNode = require('@node-red/nodes/core/function/10-function.js') as (RED: NodeAPI) => void;

/**
 * The shipped flow's heat store, its "remember, answer save" and "dashboard numbers" functions, wired
 * as the flow wires them (through its link nodes): what the dashboard's "Camera gaps today" and "Last
 * save" and /statistics's lastSavedAt are made of.
 */
function storeAndNumbers(directory: string): FlowNode[] {
  const shipped = new Map(storeAnalyticsFlow(camerasFromEnvironment(1)).map((n) => [n.id, n]));
  /** Where a wire to `id` ends up: through a link out, at the nodes its link ins are wired to. */
  const through = (id: string): string[] => {
    const n = shipped.get(id)!;
    if (n.type !== 'link out') return [id];
    return (n.links as string[]).flatMap((l) => (shipped.get(l)!.wires as string[][])[0].flatMap(through));
  };
  const kept = new Set(['sa-store', 'sa-save-answer']);
  const take = (id: string, wires: string[][], extra: object = {}) => ({
    ...shipped.get(id)!,
    g: undefined,
    wires,
    ...extra,
  });
  const storeWires = (shipped.get('sa-store')!.wires as string[][]).map((out) =>
    out.flatMap(through).filter((id) => kept.has(id)),
  );
  const outputs = ['cameras', 'people', 'visitors', 'activity', 'gap', 'saved', 'chart'];
  return [
    { id: 'sa-tab', type: 'tab' },
    take('sa-store', storeWires, { directory, autosave: 0 }),
    take('sa-save-answer', [['answered']]),
    take(
      'sa-ui-numbers',
      outputs.map((o) => [o]),
    ),
    ...['answered', ...outputs].map((id) => ({ id, type: 'helper', z: 'sa-tab' })),
  ];
}

describe("the shipped flow's dashboard numbers", function () {
  this.timeout(30000);
  const directory = path.join(testTmp, 'store-flow-numbers');
  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(() => rmSync(directory, { recursive: true, force: true }));
  afterEach(() => helper.unload());

  /** Sends the dashboard function a store's numbers; its outputs' payloads. */
  async function numbers(store: object): Promise<Record<string, unknown>> {
    const got: Record<string, unknown> = {};
    for (const id of ['gap', 'saved']) {
      getNode(id).on('input', ((m: { payload: unknown }) => (got[id] = m.payload)) as never);
    }
    getNode('sa-ui-numbers').receive({ store });
    await waitFor(() => Object.keys(got).length === 2, 5000, 'the dashboard numbers');
    return got;
  }

  const camera = (gapSeconds: number) => ({
    camera: 'camera-1',
    updatedAt: Date.now(),
    live: true,
    peopleInView: 1,
    uniquePeople: 3,
    totalActivity: '1 min',
    cameraGapSeconds: gapSeconds,
  });

  it('says "Camera gaps today" as a duration, and over how many cameras', async () => {
    await loadFlow([heatmapStoreNode, functionNode], storeAndNumbers(directory));
    let got = await numbers({
      cameras: { 'camera-1': camera(4) },
      totals: { cameraGapSeconds: 4, cameraGap: '4 s', camerasWithGaps: 1, totalActivity: '1 min' },
    });
    assert.equal(got.gap, '4 s');
    await new Promise((r) => setTimeout(r, 1000)); // the numbers go out once a second
    got = await numbers({
      cameras: { 'camera-1': camera(130), 'camera-2': { ...camera(590), camera: 'camera-2' } },
      totals: { cameraGapSeconds: 720, cameraGap: '12 min', camerasWithGaps: 2, totalActivity: '2 min' },
    });
    assert.equal(got.gap, '12 min over 2 cameras');
  });

  it('shows the last save before a restart as "Last save" once the store restored the day', async () => {
    await loadFlow([heatmapStoreNode, functionNode], storeAndNumbers(directory));
    const day = new CameraDay('camera-1', { ...DEFAULT_HEAT_OPTIONS, sourceWidth: 768, sourceHeight: 576 });
    day.map.startedAt = Date.now() - 3_600_000;
    const savedAt = Date.now() - 60_000;
    getNode('sa-store').receive({
      topic: 'heatmap/snapshot',
      reason: 'save',
      payload: [day.snapshot(savedAt)],
    });
    const file = path.join(directory, dayFolder(Date.now()), 'heatmap_camera-1.json');
    await waitFor(() => existsSync(file), 5000, 'the day saved');
    // Restart: a new runtime, nothing saved since it started.
    await helper.unload();
    await loadFlow([heatmapStoreNode, functionNode], storeAndNumbers(directory));
    await new Promise((r) => setTimeout(r, 500)); // the store reads the disk and restores the day
    const got = await numbers({ cameras: { 'camera-1': camera(0) }, totals: null });
    assert.equal(got.saved, new Date(savedAt).toLocaleTimeString());
  });
});
