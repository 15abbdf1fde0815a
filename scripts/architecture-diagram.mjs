#!/usr/bin/env node
// Draws the pictures of docs/architecture.md as SVG, written directly (no drawing tool):
//   docs/images/architecture.svg  the data flow, from the small description of boxes and arrows below;
//   docs/images/lib-imports.svg   the nodes/lib subject folders and which imports which (a matrix),
//                                 computed from the source by scanning its `from '../<subject>/...'` lines.
// `node scripts/architecture-diagram.mjs --print` prints both (for the test) instead of writing them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const architectureSvgPath = path.join(projectRoot, 'docs', 'images', 'architecture.svg');
export const libImportsSvgPath = path.join(projectRoot, 'docs', 'images', 'lib-imports.svg');

const BOX_W = 150;
const BOX_H = 54;
const COL = 180;
const ROW = 130;
const LEFT = 30;
const TOP = 70;

// ---- The data flow: boxes on a grid (column, row) and the arrows between them. ----

/** kind: node (a Node-RED node of this package), config (a configuration node), outside (not Node-RED). */
const boxes = [
  { id: 'camera', col: 0, row: 0, title: 'IP camera', sub: 'RTSP / MJPEG / file', kind: 'outside' },
  { id: 'rtsp', col: 1, row: 0, title: 'rtsp-in', sub: 'ffmpeg: JPEG frames' },
  { id: 'detect', col: 2, row: 0, title: 'yolo-detect', sub: '+ msg.detections' },
  { id: 'track', col: 3, row: 0, title: 'tracker', sub: '+ msg.tracks, counts' },
  { id: 'heat', col: 4, row: 0, title: 'heatmap', sub: '+ msg.heatmap, store' },
  { id: 'lines', col: 5, row: 0, title: 'line-counter', sub: '+ msg.footfall' },
  { id: 'zones', col: 6, row: 0, title: 'zone-monitor', sub: '+ msg.zones' },
  { id: 'video', col: 1, row: 1, title: 'mjpeg-out', sub: '/video_feed' },
  { id: 'model', col: 2, row: 1, title: 'yolo-model', sub: 'ONNX in worker threads', kind: 'config' },
  { id: 'overlay', col: 3, row: 1, title: 'mjpeg-out', sub: '/overlay_feed' },
  { id: 'store', col: 4, row: 1, title: 'heatmap-store', sub: 'days on disk (.npy)' },
  { id: 'history', col: 5, row: 1, title: 'analytics-history', sub: 'SQLite per minute' },
  { id: 'uplink', col: 6, row: 1, title: 'store-uplink', sub: 'MQTT, QoS 1' },
  { id: 'broker', col: 6, row: 2, title: 'MQTT broker', sub: 'Mosquitto', kind: 'outside' },
  { id: 'office', col: 5, row: 2, title: 'head-office', sub: 'spool, idempotent' },
  { id: 'pg', col: 4, row: 2, title: 'PostgreSQL', sub: 'every store', kind: 'outside' },
];

/**
 * dashed: a control path or a shared resource rather than frames; offset: px to the left of the arrow's
 * direction, so two arrows between the same boxes in opposite directions with the same offset sit apart;
 * at: where along the arrow its label goes (0.5, the middle).
 */
const arrows = [
  { from: 'camera', to: 'rtsp' },
  { from: 'rtsp', to: 'detect' },
  { from: 'detect', to: 'track' },
  { from: 'track', to: 'heat' },
  { from: 'heat', to: 'lines' },
  { from: 'lines', to: 'zones' },
  { from: 'rtsp', to: 'video' },
  { from: 'model', to: 'detect', dashed: true },
  { from: 'heat', to: 'overlay', label: 'overlay', offset: -7, at: 0.75 },
  { from: 'overlay', to: 'heat', label: 'viewers', dashed: true, offset: -7 },
  { from: 'heat', to: 'store', label: 'snapshots', offset: -14 },
  { from: 'store', to: 'heat', label: 'restore', dashed: true, offset: -14 },
  { from: 'heat', to: 'history', label: 'heat, backdrop' },
  { from: 'zones', to: 'history', label: 'frames' },
  { from: 'zones', to: 'uplink', label: 'state, events' },
  { from: 'history', to: 'uplink', dashed: true },
  { from: 'uplink', to: 'broker' },
  { from: 'broker', to: 'office' },
  { from: 'office', to: 'pg' },
];

/** Background regions: where each part runs. */
const regions = [
  { title: 'store PC: Node-RED (one flow, every camera)', cols: [1, 6], rows: [0, 1] },
  { title: 'head office', cols: [4, 5], rows: [2, 2] },
];

const esc = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n) => String(Math.round(n * 10) / 10);

function boxAt(b) {
  return { ...b, x: LEFT + b.col * COL, y: TOP + b.row * ROW, w: BOX_W, h: BOX_H };
}

/** The point where the line from the box's centre towards (tx, ty) leaves the box. */
function edgePoint(b, tx, ty) {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const scale = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
  return [cx + dx * scale, cy + dy * scale];
}

function arrowSvg(a, byId) {
  const from = byId.get(a.from);
  const to = byId.get(a.to);
  const [fx, fy] = [from.x + from.w / 2, from.y + from.h / 2];
  const [tx, ty] = [to.x + to.w / 2, to.y + to.h / 2];
  const len = Math.hypot(tx - fx, ty - fy);
  const ox = (-(ty - fy) / len) * (a.offset ?? 0);
  const oy = ((tx - fx) / len) * (a.offset ?? 0);
  const shifted = (b) => ({ ...b, x: b.x + ox, y: b.y + oy });
  const [x1, y1] = edgePoint(shifted(from), tx + ox, ty + oy);
  const [x2, y2] = edgePoint(shifted(to), fx + ox, fy + oy);
  const dash = a.dashed ? ' stroke-dasharray="5 4"' : '';
  const parts = [
    `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" class="arrow"${dash} marker-end="url(#head)"/>`,
  ];
  if (a.label) {
    // Beside the arrow: on its offset side, else right of a vertical or diagonal one and
    // above a horizontal one.
    const at = a.at ?? 0.5;
    const mx = x1 + (x2 - x1) * at;
    const my = y1 + (y2 - y1) * at;
    const [px, py] = a.offset
      ? [ox / Math.abs(a.offset), oy / Math.abs(a.offset)]
      : Math.abs(y2 - y1) < 1
        ? [0, -1]
        : [1, 0];
    const anchor = px < -0.3 ? 'end' : px > 0.3 ? 'start' : 'middle';
    const lx = mx + px * 8;
    const ly = my + py * 8 + (Math.abs(py) < 0.5 ? 4 : 0);
    parts.push(
      `<text x="${num(lx)}" y="${num(ly)}" class="label" text-anchor="${anchor}">${esc(a.label)}</text>`,
    );
  }
  return parts.join('\n  ');
}

function boxSvg(b) {
  const kind = b.kind ?? 'node';
  return [
    `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6" class="box ${kind}"/>`,
    `<text x="${b.x + b.w / 2}" y="${b.y + 22}" class="title" text-anchor="middle">${esc(b.title)}</text>`,
    `<text x="${b.x + b.w / 2}" y="${b.y + 40}" class="sub" text-anchor="middle">${esc(b.sub)}</text>`,
  ].join('\n  ');
}

const STYLE = `<style>
    text { font-family: Helvetica, Arial, sans-serif; fill: #222; }
    .title { font-size: 14px; font-weight: bold; }
    .sub { font-size: 11px; fill: #444; }
    .label { font-size: 11px; fill: #333; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
    .heading { font-size: 16px; font-weight: bold; }
    .region-title { font-size: 12px; fill: #555; }
    .box { stroke: #333; stroke-width: 1.2; }
    .node { fill: #fbe3c9; }
    .config { fill: #eeeeee; stroke-dasharray: 4 3; }
    .outside { fill: #d6e6f5; }
    .lib { fill: #dcefd6; }
    .region { fill: #fafafa; stroke: #bbb; stroke-width: 1; stroke-dasharray: 6 4; }
    .arrow { stroke: #333; stroke-width: 1.4; fill: none; }
    .cell { stroke: #999; stroke-width: 0.6; }
    .empty { fill: #fff; }
    .diagonal { fill: #ccc; }
    .used { fill: #dcefd6; }
    .back { fill: #f6c6c0; }
    .count { font-size: 12px; }
  </style>`;

function svgDocument(width, height, title, body) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">
  <title>${esc(title)}</title>
  ${STYLE}
  <defs>
    <marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
      <path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/>
    </marker>
  </defs>
  <rect width="${width}" height="${height}" fill="#fff"/>
  ${body.join('\n  ')}
</svg>
`;
}

export function architectureSvg() {
  const placed = boxes.map(boxAt);
  const byId = new Map(placed.map((b) => [b.id, b]));
  const body = [
    `<text x="${LEFT}" y="28" class="heading">Data flow: one store flow, and the chain to head office</text>`,
  ];
  for (const r of regions) {
    const x = LEFT + r.cols[0] * COL - 12;
    const y = TOP + r.rows[0] * ROW - 26;
    const w = (r.cols[1] - r.cols[0]) * COL + BOX_W + 24;
    const h = (r.rows[1] - r.rows[0]) * ROW + BOX_H + 38;
    body.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10" class="region"/>`);
    body.push(`<text x="${x + 10}" y="${y + 16}" class="region-title">${esc(r.title)}</text>`);
  }
  body.push(...placed.map(boxSvg));
  body.push(...arrows.map((a) => arrowSvg(a, byId)));
  const legendY = TOP + 2 * ROW + 8;
  const legend = [
    ['node', 'a node of this package'],
    ['config', 'configuration node'],
    ['outside', 'outside Node-RED'],
  ];
  legend.forEach(([kind, text], i) => {
    const y = legendY + i * 24;
    body.push(`<rect x="${LEFT}" y="${y}" width="22" height="14" rx="3" class="box ${kind}"/>`);
    body.push(`<text x="${LEFT + 30}" y="${y + 12}" class="sub">${esc(text)}</text>`);
  });
  const y = legendY + legend.length * 24 + 7;
  body.push(
    `<line x1="${LEFT}" y1="${y}" x2="${LEFT + 22}" y2="${y}" class="arrow" stroke-dasharray="5 4"/>`,
  );
  body.push(`<text x="${LEFT + 30}" y="${y + 4}" class="sub">commands, a shared model or database</text>`);
  const width = LEFT * 2 + 6 * COL + BOX_W;
  const height = y + 20;
  return svgDocument(width, height, 'Store analytics: data flow', body);
}

// ---- nodes/lib: subject folders and their imports, from the source. ----

/** { subjects: [name], imports: Map<"from>to", count> } from nodes/lib/<subject>/*.ts. */
export function libImports() {
  const lib = path.join(projectRoot, 'nodes', 'lib');
  const subjects = readdirSync(lib)
    .filter((d) => statSync(path.join(lib, d)).isDirectory())
    .sort();
  const imports = new Map();
  for (const subject of subjects) {
    const dir = path.join(lib, subject);
    for (const file of readdirSync(dir, { recursive: true }).sort()) {
      if (!String(file).endsWith('.ts')) continue;
      const source = readFileSync(path.join(dir, String(file)), 'utf8');
      const depth = String(file).split(path.sep).length - 1;
      const up = '\\.\\./'.repeat(depth + 1);
      const pattern = new RegExp(`(?:from|import)\\s*\\(?\\s*['"]${up}([\\w-]+)/`, 'g');
      for (const m of source.matchAll(pattern)) {
        if (m[1] === subject || !subjects.includes(m[1])) continue;
        const key = `${subject}>${m[1]}`;
        imports.set(key, (imports.get(key) ?? 0) + 1);
      }
    }
  }
  return { subjects, imports };
}

/** Rows by how deep a subject's imports go (a subject importing nothing at the bottom); cycles cut. */
function levels(subjects, edges) {
  const out = new Map(subjects.map((s) => [s, edges.filter(([a]) => a === s).map(([, b]) => b)]));
  const level = new Map();
  const visit = (s, stack) => {
    if (level.has(s)) return level.get(s);
    if (stack.has(s)) return -1; // a cycle: this edge does not raise the level
    stack.add(s);
    const below = out.get(s).map((t) => visit(t, stack));
    stack.delete(s);
    const l = below.length ? Math.max(...below) + 1 : 0;
    level.set(s, l);
    return l;
  };
  for (const s of subjects) visit(s, new Set());
  return level;
}

/**
 * A matrix rather than a graph (a graph of 17 subjects crosses its own arrows): a row per importing
 * subject, a column per imported one, the number of import lines in the cell. Rows and columns run from
 * the subjects whose imports go deepest to those that import none of the others, so a layered library
 * fills the upper right; a cell left of the grey diagonal is an import back up the layers (a cycle).
 */
export function libImportsSvg() {
  const { subjects, imports } = libImports();
  const edges = [...imports.keys()].map((k) => k.split('>'));
  const level = levels(subjects, edges);
  const order = [...subjects].sort((a, b) => level.get(b) - level.get(a) || a.localeCompare(b));
  const cell = 30;
  const labelW = 110;
  const x0 = LEFT + labelW;
  const y0 = 175;
  const body = [
    `<text x="${LEFT}" y="28" class="heading">nodes/lib: which subject imports which</text>`,
    `<text x="${LEFT}" y="48" class="sub">Row: the importing subject; column: the imported one; the number: its import lines.</text>`,
    `<text x="${LEFT}" y="64" class="sub">Made from the source by scripts/architecture-diagram.mjs (npm run docs).</text>`,
  ];
  order.forEach((s, i) => {
    const x = x0 + i * cell + cell / 2 + 4;
    body.push(
      `<text x="${x}" y="${y0 - 8}" class="sub" transform="rotate(-60 ${x} ${y0 - 8})">${esc(s)}</text>`,
    );
    body.push(`<text x="${x0 - 8}" y="${y0 + i * cell + 20}" class="sub" text-anchor="end">${esc(s)}</text>`);
  });
  order.forEach((from, r) => {
    order.forEach((to, c) => {
      const x = x0 + c * cell;
      const y = y0 + r * cell;
      const count = imports.get(`${from}>${to}`);
      const fill = r === c ? 'diagonal' : count ? (c < r ? 'back' : 'used') : 'empty';
      body.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" class="cell ${fill}"/>`);
      if (count) {
        body.push(
          `<text x="${x + cell / 2}" y="${y + 20}" class="count" text-anchor="middle">${count}</text>`,
        );
      }
    });
  });
  const width = x0 + order.length * cell + LEFT;
  const height = y0 + order.length * cell + LEFT;
  return svgDocument(width, height, 'nodes/lib subjects and their imports', body);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pictures = [
    [architectureSvgPath, architectureSvg()],
    [libImportsSvgPath, libImportsSvg()],
  ];
  if (process.argv.includes('--print')) {
    process.stdout.write(JSON.stringify(Object.fromEntries(pictures.map(([p, s]) => [path.basename(p), s]))));
  } else {
    await mkdir(path.dirname(architectureSvgPath), { recursive: true });
    for (const [file, svg] of pictures) {
      await writeFile(file, svg);
      console.log(`wrote ${path.relative(projectRoot, file)}`);
    }
  }
}
