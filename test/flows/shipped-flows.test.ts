import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  estimatedHeight,
  estimatedWidth,
  FlowNode,
  shippedFlows,
  storeAnalyticsFlow,
  withAddOns,
} from '../../flows/store-analytics-flow';
import { DEMO_AREAS } from '../../flows/counting-flow-code';
import { COMMAND_TOPICS } from '../../nodes/lib/control/command';
import { projectRoot } from '../../support/assets';

const CONFIG_TYPES = new Set(['tab', 'group', 'yolo-model', 'ui_base', 'ui_tab', 'ui_group']);
const onCanvas = (flow: FlowNode[]) => flow.filter((n) => !CONFIG_TYPES.has(n.type));

/** An add-on has no tab: the editor's Import puts it on the open flow, beside the store's nodes. */
const isAddOn = (flow: FlowNode[]) => !flow.some((n) => n.type === 'tab');

/**
 * Layout and wiring a reader of the editor relies on. `apart(a, b)`: the two nodes come from
 * different files (an add-on's link names the store flow's, which cannot name it back).
 */
function layoutChecks(
  flowOf: () => FlowNode[],
  apart: (a: string, b: string) => boolean = () => false,
): void {
  it('names every node and puts it in a titled group', () => {
    const flow = flowOf();
    const groups = new Map(flow.filter((n) => n.type === 'group').map((g) => [g.id, g]));
    for (const g of groups.values()) assert.ok(String(g.name).length > 0, `group ${g.id} has a title`);
    for (const n of onCanvas(flow)) {
      assert.ok(String(n.name ?? '').trim().length > 0, `${n.type} ${n.id} is named`);
      assert.ok(groups.has(String(n.g)), `${n.type} ${n.id} is in a group`);
      assert.ok((groups.get(String(n.g))!.nodes as string[]).includes(n.id), `${n.id} listed by its group`);
    }
  });

  it('wires left to right, with link nodes for the way back, no two nodes on top of each other', () => {
    const flow = flowOf();
    const byId = new Map(flow.map((n) => [n.id, n]));
    for (const n of onCanvas(flow)) {
      for (const port of (n.wires as string[][] | undefined) ?? []) {
        for (const target of port) {
          const t = byId.get(target);
          assert.ok(t, `${n.id} -> ${target} exists`);
          assert.ok((t!.x as number) > (n.x as number), `${n.id} -> ${target} runs left to right`);
        }
      }
      if (n.type === 'link out' || n.type === 'link in') {
        for (const target of n.links as string[]) {
          const t = byId.get(target);
          assert.ok(t, `${n.id} links to ${target}, which exists`);
          assert.equal(t!.type, n.type === 'link out' ? 'link in' : 'link out', `${n.id} -> ${target}`);
          if (!apart(n.id, target))
            assert.ok((t!.links as string[]).includes(n.id), `${target} links back to ${n.id}`);
        }
      }
    }
    const boxes = onCanvas(flow).map((n) => ({
      id: n.id,
      left: (n.x as number) - estimatedWidth(n) / 2,
      right: (n.x as number) + estimatedWidth(n) / 2,
      top: (n.y as number) - estimatedHeight(n) / 2,
      bottom: (n.y as number) + estimatedHeight(n) / 2,
    }));
    for (const a of boxes) {
      for (const b of boxes) {
        if (a.id >= b.id) continue;
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        assert.ok(!overlap, `${a.id} and ${b.id} overlap`);
      }
    }
  });

  it('keeps the groups apart and on the canvas', () => {
    const groups = flowOf().filter((n) => n.type === 'group');
    for (const g of groups) assert.ok((g.x as number) >= 0 && (g.y as number) >= 0, `${g.id} on the canvas`);
    for (const a of groups) {
      for (const b of groups) {
        if (a.id >= b.id) continue;
        const [ax, ay, aw, ah] = [a.x, a.y, a.w, a.h] as number[];
        const [bx, by, bw, bh] = [b.x, b.y, b.w, b.h] as number[];
        assert.ok(
          !(ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah),
          `${a.id} and ${b.id} overlap`,
        );
      }
    }
  });
}

describe('the shipped flows (one source: flows/store-analytics-flow.ts)', () => {
  const shipped = Object.entries(shippedFlows());
  const storeFlows = shipped.filter(([file, flow]) => !isAddOn(flow) && !/head office/.test(file));
  const defaultFlow = () => shippedFlows()['flows/store-analytics.json'];

  for (const [file, flow] of shipped) {
    describe(file, () => {
      it('is what the source makes (run `npm run flows` after changing it)', () => {
        const onDisk = JSON.parse(readFileSync(path.join(projectRoot, file), 'utf8')) as FlowNode[];
        assert.deepEqual(onDisk, JSON.parse(JSON.stringify(flow)));
      });

      if (!isAddOn(flow)) {
        layoutChecks(() => flow);

        it('keeps camera URLs as environment references (no password in the flow)', () => {
          for (const n of flow.filter((n) => n.type === 'rtsp-in'))
            assert.match(String(n.url), /^\$\{CAMERA_URL(_\d+)?\}$/);
        });
        return;
      }

      // An add-on, imported into a Node-RED that runs a store flow (the default, 01 or 02).
      it('has ids of its own, no tab, no HTTP route, no camera and no node that writes a fixed file', () => {
        for (const [other, store] of storeFlows) {
          const taken = new Set(store.map((n) => n.id));
          const shared = flow.filter((n) => taken.has(n.id)).map((n) => n.id);
          assert.deepEqual(shared, [], `ids also in ${other}`);
        }
        for (const [other, addOn] of shipped.filter(([f, a]) => f !== file && isAddOn(a))) {
          const taken = new Set(addOn.map((n) => n.id));
          assert.deepEqual(
            flow.filter((n) => taken.has(n.id)).map((n) => n.id),
            [],
            `ids also in ${other}`,
          );
        }
        const kinds = new Set(flow.map((n) => n.type));
        for (const kind of ['tab', 'http in', 'rtsp-in', 'analytics-history', 'heatmap-store', 'yolo-model'])
          assert.ok(!kinds.has(kind), `no ${kind}`);
        assert.ok(kinds.has('link out') || kinds.has('link in'), 'joins the store flow through link nodes');
      });

      it("links to its own nodes and to link nodes every store flow has (so the editor's Import keeps them)", () => {
        const own = new Set(flow.map((n) => n.id));
        for (const n of flow.filter((n) => /^link /.test(n.type))) {
          for (const target of n.links as string[]) {
            if (own.has(target)) continue;
            for (const [other, store] of storeFlows) {
              const t = store.find((s) => s.id === target);
              assert.ok(t && /^link /.test(t.type), `${n.id} -> ${target}: a link node of ${other}`);
            }
          }
        }
      });

      describe('imported into the default flow', () => {
        const own = new Set(flow.map((n) => n.id));
        layoutChecks(
          () => withAddOns(defaultFlow(), flow),
          (a, b) => own.has(a) !== own.has(b),
        );
      });
    });
  }

  describe('every add-on imported into the default flow together', () => {
    const addOns = shipped.filter(([, flow]) => isAddOn(flow)).map(([, flow]) => flow);
    const source = new Map(addOns.flatMap((a, i) => a.map((n) => [n.id, i] as const)));
    layoutChecks(
      () => withAddOns(defaultFlow(), ...addOns),
      (a, b) => source.get(a) !== source.get(b),
    );
  });

  it('counts in every store flow: the frames pass the counting group, with nothing drawn yet', () => {
    for (const [file, flow] of storeFlows) {
      const byId = new Map(flow.map((n) => [n.id, n]));
      assert.deepEqual(
        byId.get('sa-heatmap')!.wires,
        [['sa-counting-out'], ['sa-overlay-feed'], ['sa-snapshots-out'], ['sa-heat-history-out']],
        file,
      );
      assert.equal(byId.get('sa-footfall')!.lines, '[]', file);
      assert.equal(byId.get('sa-zones')!.zones, '[]', file);
      assert.equal(byId.get('sa-zones')!.rules, '[]', file);
    }
  });

  it('gives each camera its own id and node; the rest of the chain is shared', () => {
    const flow = storeAnalyticsFlow([
      { id: 'door', url: '${CAMERA_URL}' },
      { id: 'till', url: '${CAMERA_URL_2}' },
      { id: 'back', url: '${CAMERA_URL_3}' },
    ]);
    const cameras = flow.filter((n) => n.type === 'rtsp-in');
    assert.deepEqual(
      cameras.map((n) => n.cameraId),
      ['door', 'till', 'back'],
    );
    assert.equal(flow.filter((n) => n.type === 'heatmap').length, 1);
    assert.ok(cameras.every((n) => JSON.stringify(n.wires) === JSON.stringify([['sa-frames-out']])));
    assert.throws(
      () =>
        storeAnalyticsFlow([
          { id: 'a', url: 'x' },
          { id: 'a', url: 'y' },
        ]),
      /its own id/,
    );
  });
});

describe('the counting example and the offline runner count the same areas', () => {
  it("bench/areas/vtest-areas.json holds the example's lines and zones in pixels", () => {
    const file = JSON.parse(
      readFileSync(path.join(projectRoot, 'bench', 'areas', 'vtest-areas.json'), 'utf8'),
    );
    assert.deepEqual(file, DEMO_AREAS);
  });
});

describe("the editor's copy of the command names", () => {
  it('equals the runtime list (rtsp-in.html refuses camera ids named like a command, as rtsp-in does)', () => {
    const html = readFileSync(path.join(projectRoot, 'nodes', 'rtsp-in', 'rtsp-in.html'), 'utf8');
    const list = /const COMMAND_TOPICS = \[([^\]]*)\]/.exec(html);
    assert.ok(list, 'rtsp-in.html has its COMMAND_TOPICS');
    const inEditor = [...list![1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual(inEditor, [...COMMAND_TOPICS]);
  });
});
