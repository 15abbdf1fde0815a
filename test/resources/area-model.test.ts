import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInThisContext } from 'node:vm';
import ts from 'typescript';
import * as rules from '../../nodes/lib/counting/area-rules';
import { areasSetting } from '../../nodes/lib/counting/areas';

type Point = [number, number];
interface Shape {
  name: string;
  from?: Point;
  to?: Point;
  polygon?: Point[];
  queue?: boolean;
}
interface Model {
  kind: string;
  shapes: Shape[];
  selected: number;
  selectedPoint: number;
  draft: { points: Point[]; cursor?: Point } | null;
  select(i: number, point?: number): void;
  uniqueName(base: string): string;
  addLine(from: Point, to: Point): number;
  addZone(polygon: Point[]): number;
  remove(i: number): void;
  removePoint(i: number, j: number): 'shape' | 'point' | 'kept';
  setPoint(i: number, j: number, p: Point): void;
  moveShape(i: number, original: Shape, dx: number, dy: number): void;
  nudge(i: number, j: number, dx: number, dy: number): void;
  reverse(i: number): void;
  setQueue(i: number, on: boolean): void;
  rename(i: number, name: string): boolean;
  collapsed(i: number): boolean;
  startDraft(at: Point): void;
  addCorner(at: Point): void;
  closesDraft(at: Point, size: Size, px: number): boolean;
  dropDoubleCorner(): void;
  closeDraft(): number;
  serialise(): string;
  value(): Shape[];
  names(): string[];
}
interface Size {
  width: number;
  height: number;
}
interface Areas {
  model: {
    round(v: number): number;
    envName(text: unknown): string | null;
    toPx(p: Point, size: Size): Point;
    fromScreen(
      x: number,
      y: number,
      box: { left: number; top: number; width: number; height: number },
    ): Point;
    distancePx(a: Point, b: Point, size: Size): number;
    createModel(kind: 'lines' | 'zones', shapes?: unknown[]): Model;
  };
  problem(kind: 'lines' | 'zones', shapes: unknown): string | null;
  parse(text: unknown): unknown[];
  isEnvReference(text: unknown): boolean;
  cameraIdOf(n: { id: string; cameraId?: string; name?: string }): string;
  inWay(line: { from: Point; to: Point }): string;
}

const resources = path.join(__dirname, '..', '..', 'resources');

/** area-model.js as the editor runs it, with `window` holding the runtime's rules as area-rules.js gives them. */
function loadModel(): Areas {
  const file = path.join(resources, 'area-model.js');
  const run = runInThisContext(`(function (window) {\n${readFileSync(file, 'utf8')}\n})`, { filename: file });
  const window: { StoreAnalyticsAreaRules: typeof rules; StoreAnalyticsAreas?: Areas } = {
    StoreAnalyticsAreaRules: rules,
  };
  run(window);
  return window.StoreAnalyticsAreas!;
}

/** What the runtime says of a node's setting (line-counter.ts and zone-monitor.ts read it with areasSetting). */
function runtimeSays(kind: 'lines' | 'zones', list: unknown): string | null {
  try {
    areasSetting(list, kind);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('area editor model (resources/area-model.js)', () => {
  const areas = loadModel();
  const { createModel } = areas.model;
  const size = { width: 1000, height: 500 };

  it('adds lines with names of their own, selected, and writes them as the setting', () => {
    const m = createModel('lines');
    assert.equal(m.selected, -1);
    assert.equal(m.addLine([0.1, 0.2], [0.3, 0.4]), 0);
    assert.equal(m.selected, 0);
    m.shapes[0].name = 'line 2';
    assert.equal(m.addLine([0.5, 0.5], [0.6, 0.5]), 1);
    assert.deepEqual(m.names(), ['line 2', 'line 3'], '"line 2" is taken: the next number');
    assert.equal(
      m.serialise(),
      '[{"name":"line 2","from":[0.1,0.2],"to":[0.3,0.4]},{"name":"line 3","from":[0.5,0.5],"to":[0.6,0.5]}]',
    );
    const again = createModel('lines', areas.parse(m.serialise()));
    assert.deepEqual(again.value(), m.value(), 'the setting read back gives the same lines');
    assert.equal(again.selected, 0, 'the first shape is selected when the dialog opens');
  });

  it('copies the shapes it is given, and gives copies', () => {
    const saved = [{ name: 'door', from: [0, 0], to: [1, 1] }];
    const m = createModel('lines', saved);
    m.setPoint(0, 0, [0.5, 0.5]);
    assert.deepEqual(saved[0].from, [0, 0]);
    const value = m.value();
    value[0].name = 'x';
    assert.equal(m.shapes[0].name, 'door');
  });

  it('draws a zone corner by corner and closes it on the first corner', () => {
    const m = createModel('zones');
    m.addCorner([0.1, 0.1]);
    m.addCorner([0.5, 0.1]);
    assert.equal(m.closesDraft([0.1, 0.1], size, 12), false, 'two corners do not close');
    m.addCorner([0.5, 0.5]);
    assert.deepEqual(m.draft!.cursor, [0.5, 0.5]);
    assert.equal(m.closesDraft([0.105, 0.11], size, 12), true, '5 × 5 px from the first corner');
    assert.equal(m.closesDraft([0.12, 0.1], size, 12), false, '20 px away');
    assert.equal(m.closeDraft(), 0);
    assert.equal(m.draft, null);
    assert.deepEqual(m.value(), [
      {
        name: 'zone 1',
        polygon: [
          [0.1, 0.1],
          [0.5, 0.1],
          [0.5, 0.5],
        ],
      },
    ]);
  });

  it('drops the corner a double-click adds twice, and makes no zone of fewer than 3 corners', () => {
    const m = createModel('zones');
    m.addCorner([0.1, 0.1]);
    m.addCorner([0.5, 0.1]);
    m.addCorner([0.5, 0.105]);
    m.dropDoubleCorner();
    assert.equal(m.draft!.points.length, 2);
    assert.equal(m.closeDraft(), -1);
    assert.deepEqual(m.shapes, []);
  });

  it('moves a point, and a whole shape kept inside the picture', () => {
    const m = createModel('zones', [
      {
        name: 'till',
        polygon: [
          [0.1, 0.1],
          [0.3, 0.1],
          [0.3, 0.3],
        ],
      },
    ]);
    m.setPoint(0, 1, [0.4, 0.1]);
    assert.deepEqual(m.shapes[0].polygon![1], [0.4, 0.1]);
    const original = structuredClone(m.shapes[0]);
    m.moveShape(0, original, 0.9, -0.05);
    assert.deepEqual(m.shapes[0].polygon, [
      [0.7, 0.05],
      [1, 0.05],
      [0.9, 0.25],
    ]);
    const line = createModel('lines', [{ name: 'door', from: [0.2, 0.2], to: [0.4, 0.6] }]);
    line.moveShape(0, structuredClone(line.shapes[0]), -0.5, 0.1);
    assert.deepEqual(line.value(), [{ name: 'door', from: [0, 0.3], to: [0.2, 0.7] }]);
  });

  it('nudges a point or a shape, rounded to 4 decimals and kept in the picture', () => {
    const m = createModel('lines', [{ name: 'door', from: [0.2, 0.2], to: [0.9995, 0.6] }]);
    m.nudge(0, 1, 1 / 1000, 0);
    assert.deepEqual(m.shapes[0].to, [1, 0.6]);
    m.nudge(0, -1, 0, -1 / 3);
    assert.deepEqual(m.value(), [{ name: 'door', from: [0.2, 0], to: [1, 0.2667] }]);
  });

  it('deletes shapes and points: a line with its end, a zone down to 3 corners', () => {
    const m = createModel('zones', [
      {
        name: 'a',
        polygon: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      },
      {
        name: 'b',
        polygon: [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      },
    ]);
    m.select(0, 2);
    assert.equal(m.removePoint(0, 2), 'point');
    assert.equal(m.selectedPoint, -1);
    assert.deepEqual(m.shapes[0].polygon, [
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    assert.equal(m.removePoint(0, 0), 'kept', 'a zone keeps 3 corners');
    assert.equal(m.shapes[0].polygon!.length, 3);
    m.select(1);
    m.remove(1);
    assert.equal(m.selected, 0, 'the selection moves to the last shape left');
    m.remove(0);
    assert.equal(m.selected, -1);

    const lines = createModel('lines', [
      { name: 'a', from: [0, 0], to: [1, 1] },
      { name: 'b', from: [0, 1], to: [1, 0] },
    ]);
    assert.equal(lines.removePoint(0, 1), 'shape', 'a line needs both ends');
    assert.deepEqual(lines.names(), ['b']);
  });

  it('renames, reverses, marks a queue, and sees a line shrunk to a point', () => {
    const m = createModel('lines', [
      { name: 'a', from: [0.1, 0.1], to: [0.2, 0.1] },
      { name: 'b', from: [0.3, 0.3], to: [0.3, 0.3] },
    ]);
    assert.equal(m.rename(1, 'a'), true, 'a name used twice is wrong');
    assert.equal(m.rename(1, '  '), true, 'an empty name is wrong');
    assert.equal(m.rename(1, 'back door'), false);
    m.reverse(0);
    assert.deepEqual(m.shapes[0], { name: 'a', from: [0.2, 0.1], to: [0.1, 0.1] });
    assert.equal(m.selected, 0);
    assert.equal(m.collapsed(0), false);
    assert.equal(m.collapsed(1), true);
    assert.equal(areas.inWay(m.shapes[0] as { from: Point; to: Point }), 'top → bottom');
    assert.equal(areas.inWay({ from: [0.5, 0.1], to: [0.5, 0.9] }), 'left → right');

    const z = createModel('zones', [{ name: 'till', polygon: [] }]);
    z.setQueue(0, true);
    assert.deepEqual(z.shapes[0], { name: 'till', polygon: [], queue: true });
    z.setQueue(0, false);
    assert.deepEqual(z.shapes[0], { name: 'till', polygon: [] }, 'no queue: no "queue" key');
    assert.equal(z.collapsed(0), false, 'zones do not collapse');
  });

  it('converts between picture pixels, the screen and fractions', () => {
    const { toPx, fromScreen, distancePx, round } = areas.model;
    assert.deepEqual(toPx([0.25, 0.5], size), [250, 250]);
    const box = { left: 100, top: 50, width: 400, height: 200 };
    assert.deepEqual(fromScreen(200, 100, box), [0.25, 0.25]);
    assert.deepEqual(fromScreen(50, 300, box), [0, 1], 'outside the picture: its edge');
    assert.deepEqual(fromScreen(101, 50, box), [0.0025, 0]);
    assert.equal(round(1 / 3), 0.3333);
    assert.equal(distancePx([0, 0], [0.003, 0.008], size), 5);
  });

  it('reads the setting: a list, empty, or an environment variable', () => {
    assert.deepEqual(areas.parse(''), []);
    assert.deepEqual(areas.parse(undefined), []);
    assert.deepEqual(areas.parse('[{"name":"a"}]'), [{ name: 'a' }]);
    assert.throws(() => areas.parse('{"lines": []}'), /not a list/);
    assert.throws(() => areas.parse('[1,'));
    assert.equal(areas.isEnvReference(' ${COUNTING_LINES} '), true);
    assert.equal(areas.isEnvReference('[]'), false);
    assert.equal(areas.model.envName('${COUNTING_ZONES}'), 'COUNTING_ZONES');
    assert.equal(areas.model.envName('${}'), '');
    assert.equal(areas.model.envName('[]'), null);
  });

  it('refuses what the runtime refuses, in its words', () => {
    const line = (name: unknown, from: unknown = [0.1, 0.1], to: unknown = [0.2, 0.2]) => ({
      name,
      from,
      to,
    });
    const zone = (name: unknown, polygon: unknown, queue?: unknown) => ({ name, polygon, queue });
    const triangle = [
      [0, 0],
      [1, 0],
      [1, 1],
    ];
    const cases: Array<['lines' | 'zones', unknown[]]> = [
      ['lines', []],
      ['lines', [line('door')]],
      ['lines', [line('')]],
      ['lines', [line(undefined)]],
      ['lines', [null]],
      ['lines', [line('door'), line('door')]],
      ['lines', [line('door', [0.1])]],
      ['lines', [line('door', [0.1, 0.2], 'x')]],
      ['lines', [line('door', [0.1, 1.2])]],
      ['lines', [line('door', [-0.1, 0.2])]],
      ['lines', [line('door', [0.3, 0.3], [0.3, 0.3])]],
      ['zones', [zone('till', triangle)]],
      ['zones', [zone('till', triangle, true)]],
      ['zones', [zone('till', triangle.slice(0, 2))]],
      ['zones', [zone('till', undefined)]],
      ['zones', [zone('till', triangle), zone('till', triangle)]],
      ['zones', [zone(' ', triangle)]],
      ['zones', [zone('till', [...triangle, [2, 0]])]],
      ['zones', [zone('till', [...triangle, 'x'])]],
      ['zones', [zone('till', triangle, 'yes')]],
    ];
    const refused = cases.filter(([kind, list]) => {
      const says = runtimeSays(kind, list);
      assert.equal(areas.problem(kind, list), says, `${kind} ${JSON.stringify(list)}`);
      return says !== null;
    });
    assert.equal(refused.length, cases.length - 4, 'all but the four good settings are refused');
    assert.match(areas.problem('lines', [line('middle'), line('middle')])!, /"middle" is used twice/);
  });

  it("names a camera as rtsp-in does: its camera id, else its name, else its node's id", () => {
    assert.equal(areas.cameraIdOf({ id: 'n1', cameraId: ' door ', name: 'Door' }), 'door');
    assert.equal(areas.cameraIdOf({ id: 'n1', cameraId: '', name: 'Door' }), 'Door');
    assert.equal(areas.cameraIdOf({ id: 'n1' }), 'n1');
  });

  it('the rules reach the browser as tsc compiles them: no runtime import', () => {
    // scripts/copy-assets.mjs wraps tsc's output of area-rules.ts as resources/area-rules.js; a
    // require() there would not exist in the browser (the build refuses it too).
    const file = path.join(__dirname, '..', '..', 'nodes', 'lib', 'counting', 'area-rules.ts');
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    assert.doesNotMatch(outputText, /\brequire\(/);
    const window: { StoreAnalyticsAreaRules?: typeof rules } = {};
    runInThisContext(
      `(function (window) {(function (exports) {\n${outputText}\n})((window.StoreAnalyticsAreaRules = {}));})`,
    )(window);
    assert.equal(
      window.StoreAnalyticsAreaRules!.areasProblem([{ name: 'a', from: [0, 0], to: [0, 0] }], 'lines'),
      'line 1 has no length',
    );
  });
});
