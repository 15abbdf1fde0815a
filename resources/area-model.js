/*
 * The area editor's model: the lines or zones of one node, the selected shape and point, the zone
 * being drawn, and what can be done to them (add, move, delete, rename, reverse), apart from
 * drawing and input. Pure: no DOM, no jQuery, no Node-RED, so it is unit-tested in Node
 * (test/resources/area-model.test.ts). Points are fractions of the picture (0-1, 4 decimals).
 *
 * The rules a setting is checked by (and a camera's id) are the runtime's own: area-rules.js, built
 * from nodes/lib/counting/area-rules.ts (window.StoreAnalyticsAreaRules), looked up when used, as
 * Node-RED loads a node's scripts in no set order.
 */
(function () {
  'use strict';
  const ns = (window.StoreAnalyticsAreas = window.StoreAnalyticsAreas || {});
  const rules = () => window.StoreAnalyticsAreaRules;

  /** A coordinate as the setting keeps it: inside the picture, 4 decimals. */
  const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;
  const copy = (v) => JSON.parse(JSON.stringify(v));

  /** A setting that names an environment variable (${VAR}) instead of holding the shapes. */
  function isEnvReference(text) {
    return /^\s*\$\{[^}]+\}\s*$/.test(String(text || ''));
  }

  /** The variable's name in a ${VAR} setting, else null. */
  function envName(text) {
    const m = /^\s*\$\{([^}]*)\}\s*$/.exec(String(text || ''));
    return m ? m[1] : null;
  }

  /** The shapes of a setting: the list, or [] when empty; throws on text that is not a list. */
  function parse(text) {
    if (text === undefined || text === null || String(text).trim() === '') return [];
    const value = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error('not a list');
    return value;
  }

  /** The setting's text for the shapes (fractions). */
  const serialise = (shapes) => JSON.stringify(shapes);

  /** What is wrong with the shapes (for the dialog's validation), in the runtime's words; or null. */
  const problem = (kind, shapes) => rules().areasProblem(shapes, kind);

  /** The camera id as rtsp-in takes it: its camera id, else its name, else its node id. */
  const cameraIdOf = (n) => rules().cameraSourceId(n, n.id);

  /** Which way "in" goes across a line, in words: the side where cross(to - from, p - from) < 0. */
  function inWay(line) {
    const dx = line.to[0] - line.from[0];
    const dy = line.to[1] - line.from[1];
    // The "in" direction is (dy, -dx) (x right, y down): cross((dx, dy), (dy, -dx)) = -(dx² + dy²) < 0.
    const nx = dy;
    const ny = -dx;
    if (Math.abs(nx) >= Math.abs(ny)) return nx > 0 ? 'left → right' : 'right → left';
    return ny > 0 ? 'top → bottom' : 'bottom → top';
  }

  // ---- Pixels and fractions. ----

  /** Picture pixels of a fraction point, for a picture of `size` ({ width, height }). */
  const toPx = (p, size) => [p[0] * size.width, p[1] * size.height];
  /** The fraction point at (x, y) inside a box on screen ({ left, top, width, height }). */
  const fromScreen = (x, y, box) => [round((x - box.left) / box.width), round((y - box.top) / box.height)];
  /** Picture pixels between two fraction points. */
  function distancePx(a, b, size) {
    const p = toPx(a, size);
    const q = toPx(b, size);
    return Math.hypot(p[0] - q[0], p[1] - q[1]);
  }

  /**
   * The lines or zones being edited, with the selection and the zone (or line) being drawn.
   * `shapes` are the setting's list (copied); `kind` is 'lines' or 'zones'.
   */
  function createModel(kind, shapes) {
    const isLines = kind === 'lines';
    const model = {
      kind,
      isLines,
      shapes: (shapes || []).map(copy),
      /** The selected shape's index (-1: none) and its selected point (-1: the whole shape). */
      selected: -1,
      selectedPoint: -1,
      /** A zone being drawn ({ points, cursor }), or a line being dragged out. */
      draft: null,
    };
    model.selected = model.shapes.length > 0 ? 0 : -1;

    /** A shape's points: a line's two ends, a zone's corners. */
    model.pointsOf = (s) => (isLines ? [s.from, s.to] : s.polygon);

    model.select = (i, point) => {
      model.selected = i;
      model.selectedPoint = point === undefined ? -1 : point;
    };

    /** "line 3", "zone 2": the first number from the count up that no shape is named. */
    model.uniqueName = (base) => {
      let n = model.shapes.length + 1;
      const names = new Set(model.shapes.map((s) => s.name));
      while (names.has(base + ' ' + n)) n++;
      return base + ' ' + n;
    };

    /** Adds a shape and selects it; its index. */
    model.add = (shape) => {
      model.shapes.push(shape);
      model.select(model.shapes.length - 1);
      return model.selected;
    };
    model.addLine = (from, to) => model.add({ name: model.uniqueName('line'), from, to });
    model.addZone = (polygon) => model.add({ name: model.uniqueName('zone'), polygon });

    model.remove = (i) => {
      model.shapes.splice(i, 1);
      model.selected = Math.min(model.selected, model.shapes.length - 1);
      model.selectedPoint = -1;
    };

    /**
     * Removes a point: a line's end takes the line; a zone keeps at least 3 corners. What happened:
     * 'shape', 'point', or 'kept' (a zone of 3 corners: a slip of the finger must not take it).
     */
    model.removePoint = (i, j) => {
      const s = model.shapes[i];
      if (isLines) {
        model.remove(i); // a line needs both ends
        return 'shape';
      }
      if (s.polygon.length <= 3) return 'kept';
      s.polygon.splice(j, 1);
      model.selectedPoint = -1;
      return 'point';
    };

    /** Puts point `j` of shape `i` at `p`. */
    model.setPoint = (i, j, p) => {
      const s = model.shapes[i];
      if (isLines) s[j === 0 ? 'from' : 'to'] = p;
      else s.polygon[j] = p;
    };

    /** Shape `i` as `original` moved by (dx, dy), kept inside the picture. */
    model.moveShape = (i, original, dx, dy) => {
      const pts = model.pointsOf(original);
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      const mx = Math.min(1 - Math.max(...xs), Math.max(-Math.min(...xs), dx));
      const my = Math.min(1 - Math.max(...ys), Math.max(-Math.min(...ys), dy));
      const move = (p) => [round(p[0] + mx), round(p[1] + my)];
      const s = model.shapes[i];
      if (isLines) {
        s.from = move(original.from);
        s.to = move(original.to);
      } else s.polygon = original.polygon.map(move);
    };

    /** Moves point `j` of shape `i` (or the whole shape, j < 0) by (dx, dy), each coordinate kept in 0-1. */
    model.nudge = (i, j, dx, dy) => {
      const s = model.shapes[i];
      const move = (p) => [round(p[0] + dx), round(p[1] + dy)];
      if (j >= 0) model.setPoint(i, j, move(model.pointsOf(s)[j]));
      else if (isLines) {
        s.from = move(s.from);
        s.to = move(s.to);
      } else s.polygon = s.polygon.map(move);
    };

    /** Swaps a line's ends: what counted as in counts as out. */
    model.reverse = (i) => {
      const s = model.shapes[i];
      [s.from, s.to] = [s.to, s.from];
      model.selected = i;
    };

    model.setQueue = (i, on) => {
      if (on) model.shapes[i].queue = true;
      else delete model.shapes[i].queue;
    };

    /** Renames shape `i`; whether the name is wrong (empty, or another shape's). */
    model.rename = (i, name) => {
      const s = model.shapes[i];
      s.name = name;
      return s.name.trim() === '' || model.shapes.some((o) => o !== s && o.name === s.name);
    };

    /** Whether a line has both ends on one point (a line no more). */
    model.collapsed = (i) => {
      const s = model.shapes[i];
      return isLines && Boolean(s) && s.from[0] === s.to[0] && s.from[1] === s.to[1];
    };

    // ---- The draft: a zone clicked corner by corner (or a line being dragged out). ----

    model.startDraft = (at) => {
      model.draft = { points: [at], cursor: at };
    };
    model.addCorner = (at) => {
      model.draft = model.draft || { points: [] };
      model.draft.points.push(at);
      model.draft.cursor = at;
    };
    /** Whether `at` is within `px` picture pixels of the draft's first corner. */
    model.nearFirst = (at, size, px) => distancePx(model.draft.points[0], at, size) <= px;
    /** Whether a click at `at` closes the zone being drawn (on its first corner, 3 corners or more). */
    model.closesDraft = (at, size, px) =>
      Boolean(model.draft) && model.draft.points.length >= 3 && model.nearFirst(at, size, px);
    /** The double-click's two clicks added the same corner twice: one goes. */
    model.dropDoubleCorner = () => {
      const points = model.draft.points;
      const n = points.length;
      if (n < 2) return;
      const a = points[n - 1];
      const b = points[n - 2];
      if (Math.abs(a[0] - b[0]) < 0.01 && Math.abs(a[1] - b[1]) < 0.01) points.pop();
    };
    /** Ends the zone being drawn: the new zone's index, or -1 (fewer than 3 corners: no zone). */
    model.closeDraft = () => {
      const points = model.draft.points;
      model.draft = null;
      return points.length < 3 ? -1 : model.addZone(points);
    };

    /** The setting's text, the shapes (copies), their names. */
    model.serialise = () => serialise(model.shapes);
    model.value = () => model.shapes.map(copy);
    model.names = () => model.shapes.map((s) => s.name);
    return model;
  }

  ns.model = { round, copy, envName, serialise, toPx, fromScreen, distancePx, createModel };
  Object.assign(ns, { problem, parse, isEnvReference, cameraIdOf, inWay });
})();
