/**
 * The one source of the shipped flows: `npm run flows` writes flows/store-analytics.json (the default
 * flow, one camera), `examples/01 one camera.json` and `examples/02 several cameras.json` from it, and
 * `npm start` builds the flow for the cameras in CAMERA_URLS with it. A test holds the files equal to
 * what this makes. Layout: groups left to right along the data (cameras -> pipeline -> storage), the
 * HTTP API and the dashboard below; control paths (commands to the heatmap, the restore, save answers)
 * run through link nodes, so no wire runs backwards or hides behind a node.
 */

import { DEFAULT_LINE_COUNTER } from '../nodes/lib/counting/line-counter';
import { DEFAULT_ZONE_MONITOR } from '../nodes/lib/counting/zone-monitor';
import { DEFAULT_HEAT_OPTIONS } from '../nodes/lib/heatmap/heat-accumulator';
import { DEFAULT_TRACKER_OPTIONS } from '../nodes/lib/track/byte-tracker';
import { DEFAULT_SOURCE } from '../nodes/lib/video/camera-source';
import {
  ALERT_TEXT,
  DASHBOARD_COUNTING,
  DASHBOARD_ZONES,
  demoAreasCode,
  KEEP_COUNTING,
} from './counting-flow-code';
import { headOfficeFlow } from './head-office-flow';

export interface CameraSpec {
  /** Camera id: keys its heat, numbers, feeds and saved day. */
  id: string;
  /** Stream URL, or an environment reference such as ${CAMERA_URL} (credentials stay out of the flow). */
  url: string;
}

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** The environment variable that holds camera n's URL (1-based): CAMERA_URL, then CAMERA_URL_2, ... */
export function cameraUrlVariable(n: number): string {
  return n === 1 ? 'CAMERA_URL' : `CAMERA_URL_${n}`;
}

/** Cameras camera-1..camera-n, each reading its URL from the environment. */
export function camerasFromEnvironment(count: number): CameraSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `camera-${i + 1}`,
    url: `\${${cameraUrlVariable(i + 1)}}`,
  }));
}

const TAB = 'sa-tab';

/** Node-RED draws a node about this wide (its label at 14 px plus icon and ports); used to lay out groups. */
export function estimatedWidth(node: FlowNode): number {
  if ((node.type === 'link in' || node.type === 'link out') && node.l !== true) return 30;
  const label = String(node.name ?? '');
  return Math.max(100, 20 * Math.ceil((label.length * 7.5 + 50) / 20));
}

/** Node-RED draws a node with many outputs taller: 15 px per port, at least 30. */
export function estimatedHeight(node: FlowNode): number {
  return Math.max(30, 15 * (Array.isArray(node.wires) ? node.wires.length : 0));
}

const GROUP_PADDING = 20;
const STAGE_COLOURS: Record<string, { stroke: string; fill: string }> = {
  cameras: { stroke: '#3f93cf', fill: '#bfdbef' },
  pipeline: { stroke: '#92d04f', fill: '#e3f3d3' },
  storage: { stroke: '#ff9f40', fill: '#ffefbf' },
  http: { stroke: '#a4a4a4', fill: '#e0e0e0' },
  dashboard: { stroke: '#b083f0', fill: '#e8dcfb' },
};

export function group(
  id: string,
  name: string,
  stage: keyof typeof STAGE_COLOURS,
  members: FlowNode[],
  z = TAB,
): FlowNode {
  for (const n of members) n.g = id;
  const { stroke, fill } = STAGE_COLOURS[stage];
  return {
    id,
    type: 'group',
    z,
    name,
    style: { label: true, stroke, fill, 'fill-opacity': '0.4', color: '#000000' },
    nodes: members.map((n) => n.id),
  };
}

/**
 * Where the nodes of the top row sit (x, y of their centre), stage by stage left to right; this wins
 * over the x, y their constructors get. Camera nodes stack in their group (cameraNode); the HTTP API
 * and the dashboard below are laid out in rows where they are built. A test checks nothing overlaps.
 */
const POSITIONS: Record<string, [number, number]> = {
  'sa-frames-out': [380, 100],
  'sa-frames-in': [600, 100],
  'sa-detect': [780, 100],
  'sa-video-feed': [760, 180],
  'sa-tracker': [960, 100],
  'sa-commands-in': [990, 175],
  'sa-heatmap': [1150, 120],
  'sa-statistics-out': [1350, 60],
  'sa-counting-out': [1350, 60],
  'sa-overlay-feed': [1350, 120],
  'sa-snapshots-out': [1350, 180],
  'sa-viewers-out': [1540, 120],
  'sa-pipeline-note': [1150, 240],
  'sa-snapshots-in': [1720, 100],
  'sa-store': [1900, 100],
  'sa-saved-out': [2080, 80],
  'sa-restore-out': [2080, 130],
  'sa-storage-note': [1900, 190],
};

/** Puts every group around its nodes (with room for its title). */
export function fitGroups(flow: FlowNode[]): void {
  const byId = new Map(flow.map((n) => [n.id, n]));
  for (const g of flow.filter((n) => n.type === 'group')) {
    const members = (g.nodes as string[]).map((id) => byId.get(id)!);
    const left = Math.min(...members.map((n) => (n.x as number) - estimatedWidth(n) / 2));
    const right = Math.max(...members.map((n) => (n.x as number) + estimatedWidth(n) / 2));
    const top = Math.min(...members.map((n) => (n.y as number) - estimatedHeight(n) / 2));
    const bottom = Math.max(...members.map((n) => (n.y as number) + estimatedHeight(n) / 2));
    Object.assign(g, {
      x: Math.round(left - GROUP_PADDING),
      y: Math.round(top - GROUP_PADDING - 20),
      w: Math.round(right - left + 2 * GROUP_PADDING),
      h: Math.round(bottom - top + 2 * GROUP_PADDING + 20),
    });
  }
}

function node(
  type: string,
  id: string,
  name: string,
  x: number,
  y: number,
  props: object,
  wires?: string[][],
): FlowNode {
  return { id, type, z: TAB, name, ...props, x, y, ...(wires ? { wires } : {}) };
}

function linkOut(id: string, name: string, x: number, y: number, links: string[]): FlowNode {
  // l: the label is shown, so a reader sees where a control path goes.
  return node('link out', id, name, x, y, { mode: 'link', links, l: true }, []);
}

function linkIn(
  id: string,
  name: string,
  x: number,
  y: number,
  links: string[],
  wires: string[][],
): FlowNode {
  return node('link in', id, name, x, y, { links, l: true }, wires);
}

function comment(id: string, name: string, x: number, y: number, info: string): FlowNode {
  return node('comment', id, name, x, y, { info });
}

function fn(
  id: string,
  name: string,
  x: number,
  y: number,
  outputs: number,
  func: string,
  wires: string[][],
  initialize = '',
): FlowNode {
  return node(
    'function',
    id,
    name,
    x,
    y,
    {
      func: func.trim() + '\n',
      outputs,
      timeout: 0,
      noerr: 0,
      initialize: initialize.trim(),
      finalize: '',
      libs: [],
    },
    wires,
  );
}

function httpIn(
  id: string,
  method: 'get' | 'post',
  url: string,
  x: number,
  y: number,
  wires: string[][],
): FlowNode {
  return node(
    'http in',
    id,
    `${method.toUpperCase()} ${url}`,
    x,
    y,
    { url, method, upload: false, swaggerDoc: '' },
    wires,
  );
}

function httpResponse(id: string, name: string, x: number, y: number, headers: object = {}): FlowNode {
  return node('http response', id, name, x, y, { statusCode: '', headers }, []);
}

/** The rtsp-in node of one camera (the editor's defaults for everything else). */
function cameraNode(camera: CameraSpec, index: number): FlowNode {
  const id = index === 0 ? 'sa-camera' : `sa-camera-${index + 1}`;
  return node(
    'rtsp-in',
    id,
    camera.id,
    160,
    100 + 60 * index,
    {
      url: camera.url,
      cameraId: camera.id,
      transport: DEFAULT_SOURCE.transport,
      loop: true, // the demo clip plays on; a camera stream has no end
      realtime: DEFAULT_SOURCE.realtime,
      fps: DEFAULT_SOURCE.fps,
      width: DEFAULT_SOURCE.width,
      height: DEFAULT_SOURCE.height,
      quality: DEFAULT_SOURCE.jpegQuality,
      stallTimeout: 10,
      autoStart: true,
    },
    [['sa-frames-out']],
  );
}

const STATISTICS = `
// GET /statistics: every camera's numbers and the store's totals, as JSON (or an HTML table for a
// browser, unless ?format=json). With one camera the camera's numbers are the top level.
// Footfall and zones (when the flow counts them) sit with each camera's numbers.
const s = flow.get('statistics') || { cameras: {}, totals: null };
const status = flow.get('cameraStatus') || {};
const counting = flow.get('counting') || {};
const lastSavedAt = flow.get('lastSavedAt') || null;
const ids = Array.from(new Set(Object.keys(s.cameras).concat(Object.keys(status)))).sort();
const one = (id) => Object.assign(
    s.cameras[id] ? {} : { camera: id, waiting: 'no frame analysed yet' },
    s.cameras[id] || {},
    counting[id] || {},
    { cameraStatus: status[id] || 'unknown' },
);
const counted = ids.map((id) => (counting[id] || {}).footfall).filter((f) => f);
const storeTotals = counted.length === 0 ? s.totals : Object.assign({}, s.totals, {
    footfall: {
        in: counted.reduce((n, f) => n + f.in, 0),
        out: counted.reduce((n, f) => n + f.out, 0),
        occupancy: counted.reduce((n, f) => n + (f.occupancy || 0), 0),
    },
});
let body;
if (ids.length === 0) body = { camera: null, waiting: 'no frame analysed yet', cameraStatus: 'unknown', lastSavedAt };
else if (ids.length === 1 && s.cameras[ids[0]]) body = Object.assign(one(ids[0]), { lastSavedAt });
else if (ids.length === 1) body = Object.assign(one(ids[0]), { camera: null, lastSavedAt });
else {
    const cameras = {};
    ids.forEach((id) => { cameras[id] = one(id); });
    body = { cameras, store: storeTotals, lastSavedAt };
}
const accept = (msg.req.headers && msg.req.headers.accept) || '';
if (accept.includes('text/html') && msg.req.query.format !== 'json') {
    const rows = [];
    const add = (prefix, o) => Object.keys(o).forEach((k) => {
        const v = o[k];
        if (v && typeof v === 'object') add(prefix + k + '.', v);
        else rows.push({ name: prefix + k, value: typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v) });
    });
    add('', body);
    msg.rows = rows;
    return [null, msg];
}
msg.payload = body;
msg.headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
return [msg, null];
`;

const WHICH_CAMERAS = `
// GET or POST /reset_heatmap and /save_heatmap. ?camera=camera-2 (or a comma-separated list) names
// the cameras; without it, every camera. An unknown camera gets 404. STATE_CHANGES_POST_ONLY=true
// refuses GET, so that a link, a crawler or a prefetching browser cannot reset the day.
const reset = msg.req.path.indexOf('/reset') >= 0;
if (msg.req.method === 'GET' && env.get('STATE_CHANGES_POST_ONLY') === 'true') {
    msg.statusCode = 405;
    msg.headers = { allow: 'POST' };
    msg.payload = { error: 'use POST for ' + msg.req.path };
    return [null, null, msg];
}
const asked = String((msg.req.query && msg.req.query.camera) || '')
    .split(',').map((id) => id.trim()).filter((id) => id !== '');
const known = Array.from(new Set(Object.keys((flow.get('statistics') || {}).cameras || {})
    .concat(Object.keys(flow.get('cameraStatus') || {})))).sort();
const unknown = asked.filter((id) => !known.includes(id));
if (unknown.length > 0) {
    msg.statusCode = 404;
    msg.payload = { error: 'no camera ' + unknown.join(', ') + ' (cameras: ' + (known.join(', ') || 'none yet') + ')' };
    return [null, null, msg];
}
msg.topic = reset ? 'reset' : 'save';
if (asked.length > 0) msg.cameras = asked;
else delete msg.cameras;
delete msg.payload;
return reset ? [msg, null, null] : [null, msg, null];
`;

const RESET_ANSWER = `
msg.payload = { reset: true, cameras: msg.cameras || 'all', at: Date.now() };
return msg;
`;

const SAVE_ANSWER = `
// heatmap-store wrote (or failed to write): remember when, and answer the request that asked for it.
// Its restore at start (today's saved day, sent back to the heatmap) says when the day was saved
// before the restart: that is the last save until the next one.
if (msg.topic === 'restore') {
    const at = (Array.isArray(msg.payload) ? msg.payload : [])
        .reduce((latest, s) => Math.max(latest, (s && s.meta && s.meta.savedAt) || 0), 0);
    if (at > (flow.get('lastSavedAt') || 0)) flow.set('lastSavedAt', at);
    return null;
}
const p = msg.payload || {};
if (!p.error) flow.set('lastSavedAt', p.savedAt);
return msg.res ? msg : null;
`;

/**
 * The reset dialog's answer comes back from the browser with a whole message the browser made. Only
 * the choice is read; the command is made here, so nothing else a client puts in it reaches the
 * heatmaps (which cameras, which day).
 */
const CONFIRMED_RESET = `
if (msg.payload !== 'Reset') return null;
return { topic: 'reset' };
`;

const CAMERA_STATUS = `
// rtsp-in's status ("camera-1: streaming 10.0 fps", "camera-2: ... reconnecting in 5 s") per camera,
// for the dashboard and /statistics; a removed camera's node clears its status, and its entry goes.
// Sends the dashboard's "Camera" line at each change, so it tells the truth while no frame comes.
if (!msg.status.source || msg.status.source.type !== 'rtsp-in') return null;
const all = flow.get('cameraStatus') || {};
const byNode = flow.get('cameraStatusNodes') || {};
const source = msg.status.source.id;
const m = /^(.+?): (.*)$/.exec(msg.status.text || '');
if (byNode[source] !== undefined && (!m || m[1] !== byNode[source])) delete all[byNode[source]];
if (m) {
    all[m[1]] = m[2];
    byNode[source] = m[1];
} else delete byNode[source];
flow.set('cameraStatus', all);
flow.set('cameraStatusNodes', byNode);
const ids = Object.keys(all).sort();
const streaming = ids.filter((id) => /^streaming/.test(all[id])).length;
const text = ids.length === 1 ? all[ids[0]] : streaming + ' of ' + ids.length + ' streaming';
if (text === context.get('sent')) return null;
context.set('sent', text);
return { payload: text || 'no camera' };
`;

const DASHBOARD_NUMBERS = `
// The dashboard's numbers once a second (all cameras at once, so nothing flips between them), and
// the chart every 10 s (a tablet need not draw thousands of points): one line per camera. Runs on
// every analysed frame and on every camera status change, so a camera that goes down shows it even
// when no frame comes: its people in view become "–" and are not counted in the store's.
const now = Date.now();
if (now - (context.get('numbersAt') || 0) < 1000) return null;
context.set('numbersAt', now);
const s = msg.store || flow.get('statistics') || { cameras: {}, totals: null };
const status = flow.get('cameraStatus') || {};
const ids = Array.from(new Set(Object.keys(s.cameras).concat(Object.keys(status)))).sort();
const live = (c) => !!c && now - c.updatedAt <= 5000;
const cameras = ids.map((id) => {
    const c = s.cameras[id];
    return {
        camera: id,
        feed: '../overlay_feed/' + encodeURIComponent(id),
        people: live(c) ? c.peopleInView : '–',
        visitors: c ? c.uniquePeople : '–',
        activity: c ? c.totalActivity : '–',
        gaps: c ? (c.cameraGapSeconds > 0 ? c.cameraGap : 'none') : '–',
        status: status[id] || 'unknown',
    };
});
const known = Object.keys(s.cameras).map((id) => s.cameras[id]);
const sum = (pick) => known.reduce((total, c) => total + pick(c), 0);
const gaps = sum((c) => c.cameraGapSeconds);
const saved = flow.get('lastSavedAt');
let chart = null;
if (msg.store && now - (context.get('chartAt') || 0) >= 10000) {
    context.set('chartAt', now);
    chart = Object.keys(s.cameras).map((id) => ({ topic: id, payload: s.cameras[id].peopleInView }));
}
const feeds = {};
cameras.forEach((c) => { feeds[c.camera] = c.feed; });
return [
    { payload: { cameras, feeds } },
    { payload: known.some(live) ? sum((c) => (live(c) ? c.peopleInView : 0)) : '–' },
    { payload: sum((c) => c.uniquePeople) },
    { payload: s.totals ? s.totals.totalActivity : '–' },
    // Camera-time without frames, in words; summed over cameras, so it says over how many.
    { payload: gaps > 0 && s.totals ? s.totals.cameraGap + (s.totals.camerasWithGaps > 1 ? ' over ' + s.totals.camerasWithGaps + ' cameras' : '') : 'none' },
    { payload: saved ? new Date(saved).toLocaleTimeString() : 'not yet' },
    chart,
];
`;

const DASHBOARD_CAMERAS = `
<div ng-init="view = { camera: '' }">
  <div style="display:flex;gap:8px;align-items:center;margin-bottom:6px" ng-show="msg.payload.cameras.length > 1">
    <label for="sa-camera-pick">Camera</label>
    <select id="sa-camera-pick" ng-model="view.camera" style="flex:1">
      <option value="">{{msg.payload.cameras[0].camera}}</option>
      <option ng-repeat="c in msg.payload.cameras.slice(1)" value="{{c.camera}}">{{c.camera}}</option>
    </select>
  </div>
  <img ng-if="msg.payload.cameras.length > 0" ng-src="{{msg.payload.feeds[view.camera] || msg.payload.cameras[0].feed}}"
    alt="live camera with heatmap" style="width:100%;height:auto;display:block;border-radius:4px;background:#000">
  <table style="width:100%;margin-top:8px;border-collapse:collapse;font-variant-numeric:tabular-nums">
    <tr style="text-align:left;opacity:.7"><th>Camera</th><th>In view</th><th>Visitors</th><th>Activity</th><th>Gaps</th><th>Status</th></tr>
    <tr ng-repeat="c in msg.payload.cameras"><td>{{c.camera}}</td><td>{{c.people}}</td><td>{{c.visitors}}</td><td>{{c.activity}}</td><td>{{c.gaps}}</td><td>{{c.status}}</td></tr>
  </table>
</div>
`;

const HISTORY_CHARTS = `
// The history node's answer to "history/report": the History tab's charts and tables. Missing data
// (a camera off, an hour not yet come) is null, drawn as no bar: never as 0.
if (msg.topic !== 'history/report') return null; // other flows' queries share the link
if (msg.statusCode !== 200) {
    node.status({ fill: 'red', shape: 'dot', text: (msg.payload && msg.payload.error) || 'no report' });
    return null;
}
node.status({});
const r = msg.payload;
const two = (n) => String(n).padStart(2, '0');
const weekday = new Date(r.compareDate + 'T12:00:00').toLocaleDateString('en-GB', { weekday: 'long' });
const day = (d) => d.slice(8, 10) + '/' + d.slice(5, 7);
// The hours either day had data in (opening hours), first to last.
const open = r.hours.filter((h) => h.today.visitors !== null || h.compare.visitors !== null).map((h) => h.hour);
const hours = open.length ? r.hours.slice(Math.min(...open), Math.max(...open) + 1) : [];
const perHour = (pick) => [{
    series: ['today', 'last ' + weekday],
    data: [hours.map((h) => pick(h.today)), hours.map((h) => pick(h.compare))],
    labels: hours.map((h) => two(h.hour) + ':00'),
}];
const days = r.days.filter((d) => d.visitors !== null);
const daySeries = r.hasFootfall ? ['visitors', 'came in'] : ['visitors'];
const dayData = r.hasFootfall
    ? [r.days.map((d) => d.visitors), r.days.map((d) => d.footfallIn)]
    : [r.days.map((d) => d.visitors)];
const dwellDays = r.zoneDwell.filter((d) => r.zones.some((z) => d.dwellMeanSeconds[z] !== null));
return [
    { payload: r.hasFootfall ? perHour((c) => c.footfallIn) : [] },
    { payload: open.length ? perHour((c) => c.visitors) : [] },
    { payload: days.length ? [{ series: daySeries, data: dayData, labels: r.days.map((d) => day(d.date)) }] : [] },
    { payload: { hours: r.busiestHours.slice(0, 6).map((h) => Object.assign({ label: two(h.hour) + ':00-' + two((h.hour + 1) % 24) + ':00' }, h)), days: days.length, footfall: r.hasFootfall } },
    { payload: dwellDays.length ? [{
        series: r.zones,
        data: r.zones.map((z) => dwellDays.map((d) => d.dwellMeanSeconds[z])),
        labels: dwellDays.map((d) => day(d.date)),
    }] : [] },
    { payload: { cameras: r.cameras, date: r.date, compareDate: r.compareDate, from: r.days[0].date, to: r.date, at: Date.now() } },
];
`;

const HISTORY_BUSIEST = `
<table style="width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums">
  <tr style="text-align:left;opacity:.7"><th>Hour</th><th>Visitors (mean)</th><th ng-if="msg.payload.footfall">Came in (mean)</th><th>Days</th></tr>
  <tr ng-repeat="h in msg.payload.hours"><td>{{h.label}}</td><td>{{h.visitorsMean}}</td><td ng-if="msg.payload.footfall">{{h.footfallInMean === null ? '' : h.footfallInMean}}</td><td>{{h.days}}</td></tr>
</table>
<p ng-if="!msg.payload.hours.length" style="opacity:.7">no hours recorded yet</p>
`;

const HISTORY_HEAT = `
<div class="sa-history-heat">
  <div style="display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:6px">
    <label ng-show="msg.payload.cameras.length > 1">Camera
      <select id="sa-heat-camera" ng-model="h.camera" ng-options="c for c in msg.payload.cameras"></select></label>
    <label>Day <input id="sa-heat-date" type="text" ng-model="h.date" placeholder="YYYY-MM-DD" size="10"></label>
    <label>Hours <input id="sa-heat-first" type="number" min="0" max="23" ng-model="h.first" style="width:4em">
      to <input id="sa-heat-last" type="number" min="0" max="23" ng-model="h.last" style="width:4em"></label>
    <label>Against <input id="sa-heat-compare" type="text" ng-model="h.compare" placeholder="another day" size="10"></label>
  </div>
  <img id="sa-heat-image" ng-if="heatUrl()" ng-src="{{heatUrl()}}" alt="no heat recorded in that period"
    style="width:100%;height:auto;display:block;border-radius:4px;background:#000">
  <p style="opacity:.7;margin:4px 0">{{h.compare ? 'Red: more people than on ' + h.compare + '; blue: fewer.' : 'Where people were, over the empty store.'}}</p>
  <a id="sa-history-export" class="md-button md-raised" ng-href="{{csvUrl()}}" download>Export CSV (every hour of the last 30 days)</a>
</div>
<script>
(function (scope) {
  const isDate = (d) => /^\\d{4}-\\d{2}-\\d{2}$/.test(d || '');
  scope.h = { camera: '', date: '', first: 0, last: 23, compare: '' };
  scope.$watch('msg', function (msg) {
    if (!msg || !msg.payload) return;
    const p = msg.payload;
    if (p.cameras.indexOf(scope.h.camera) < 0) scope.h.camera = p.cameras[0] || '';
    if (!scope.h.date) scope.h.date = p.date;
  });
  scope.heatUrl = function () {
    const p = scope.msg && scope.msg.payload;
    const h = scope.h;
    if (!p || !h.camera || !isDate(h.date)) return '';
    const first = Math.max(0, Math.min(23, Number(h.first) || 0));
    const last = Math.max(first, Math.min(23, Number(h.last) || 0));
    return '../heatmap.png?camera=' + encodeURIComponent(h.camera) + '&date=' + h.date +
      '&hour=' + first + '-' + last + (isDate(h.compare) ? '&compare=' + h.compare : '') + '&at=' + p.at;
  };
  scope.csvUrl = function () {
    const p = scope.msg && scope.msg.payload;
    return p ? '../history.csv?step=hour&from=' + p.from + '&to=' + p.to : '../history.csv?step=hour';
  };
})(scope);
</script>
`;

const EXPORT_ASK = `
// A day's hours as CSV, asked of analytics-history: yesterday at night, today (so far) from the button.
// By the calendar, not 24 h back: the night after a 23-hour day is still the next day.
const now = new Date();
const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (msg.topic === 'export today' ? 0 : 1));
const two = (n) => String(n).padStart(2, '0');
const date = at.getFullYear() + '-' + two(at.getMonth() + 1) + '-' + two(at.getDate());
return { topic: 'history', exportDate: date, payload: { from: date, to: date, step: 'hour', format: 'csv' } };
`;

const EXPORT_FILE = `
// The history node answers every flow query here: keep the export's answers (the History tab's
// reports pass by on the same link).
if (msg.topic !== 'history' || !msg.exportDate) return null;
if (msg.statusCode !== 200) {
    node.status({ fill: 'red', shape: 'dot', text: 'export failed: ' + String(msg.payload).trim() });
    node.error('history export of ' + msg.exportDate + ' failed: ' + String(msg.payload).trim(), msg);
    return null;
}
// HISTORY_EXPORT_DIR (a shared drive, say); else exports/ beside the history database (data/ in the
// Node-RED user directory), which the answer names.
const dir = env.get('HISTORY_EXPORT_DIR') || msg.historyDir + '/exports';
msg.filename = dir + '/history-' + msg.exportDate + '.csv';
node.status({ fill: 'green', shape: 'dot', text: 'history-' + msg.exportDate + '.csv at ' + new Date().toTimeString().slice(0, 5) });
return msg;
`;

const STORE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Store cameras</title>
<style>
body{margin:0;background:#111;color:#eee;font-family:system-ui,sans-serif}
main{max-width:1100px;margin:auto;padding:16px}
h1{font-size:1.4em;margin:0 0 12px}
.layout{display:grid;grid-template-columns:minmax(0,2fr) minmax(220px,1fr);gap:16px}
@media (max-width:760px){.layout{grid-template-columns:1fr}}
img{width:100%;height:auto;background:#000;border-radius:6px;display:block}
dl{margin:0;display:grid;grid-template-columns:auto auto;gap:8px 12px;align-content:start}
dt{color:#9ab}dd{margin:0;text-align:right;font-size:1.3em;font-variant-numeric:tabular-nums}
select,button{font-size:1em;padding:8px 14px;margin:12px 8px 0 0;border-radius:6px;border:0}
button{background:#e0664b;color:#fff;cursor:pointer}
h2{font-size:1em;color:#9ab;margin:16px 0 4px}
a{color:#8cf}
footer{margin-top:16px;color:#9ab}
table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
th{color:#9ab;font-weight:normal;text-align:left}td,th{padding:2px 4px}
</style>
</head>
<body>
<main>
<h1>Store cameras</h1>
<div class="layout">
<div><img id="video" src="overlay_feed" alt="live camera with heatmap">
<select id="camera" hidden aria-label="camera"></select></div>
<section>
<h2 id="scope">This camera</h2>
<dl>
<dt>People in view</dt><dd id="peopleInView">–</dd>
<dt>Visitors today</dt><dd id="uniquePeople">–</dd>
<dt>Activity time</dt><dd id="totalActivity">–</dd>
<dt>Busiest spot</dt><dd id="maxActivity">–</dd>
<dt>Floor visited</dt><dd id="floorShareVisited">–</dd>
<dt>Camera gaps</dt><dd id="cameraGap">–</dd>
<dt>Camera</dt><dd id="cameraStatus">–</dd>
</dl>
<div id="footfall" hidden><h2>Footfall today</h2>
<dl>
<dt>Came in</dt><dd id="footfallIn">–</dd>
<dt>Went out</dt><dd id="footfallOut">–</dd>
<dt>Inside now</dt><dd id="occupancy">–</dd>
</dl></div>
<div id="zones" hidden><h2>Zones</h2>
<table><thead><tr><th>Zone</th><th>Now</th><th>Visits</th><th>Median stay</th><th>Queue</th><th>Wait</th></tr></thead>
<tbody id="zoneRows"></tbody></table></div>
<div id="store" hidden><h2>Store (all cameras)</h2>
<dl>
<dt>People in view</dt><dd id="storePeopleInView">–</dd>
<dt>Visitors today</dt><dd id="storeUniquePeople">–</dd>
<dt>Activity time</dt><dd id="storeTotalActivity">–</dd>
<dt id="storeFootfallLabel" hidden>Came in / inside now</dt><dd id="storeFootfall" hidden>–</dd>
</dl></div>
<dl><dt>Last save</dt><dd id="lastSavedAt">–</dd></dl>
<button id="save" type="button">Save now</button><button id="reset" type="button">Reset…</button>
</section>
</div>
<footer><a href="video_feed">raw video</a> · <a href="statistics">statistics</a> · <a href="ui/">dashboard</a></footer>
</main>
<script>
const show = (id, text) => { document.getElementById(id).textContent = text; };
const picker = document.getElementById('camera');
const video = document.getElementById('video');
picker.onchange = () => { video.src = 'overlay_feed/' + encodeURIComponent(picker.value); refresh(); };
function showCamera(c) {
  show('cameraStatus', c.cameraStatus || '–');
  if (c.peopleInView === undefined) return;
  show('peopleInView', c.peopleInView);
  show('uniquePeople', c.uniquePeople);
  show('totalActivity', c.totalActivity);
  show('maxActivity', Math.round(c.maxActivitySeconds) + ' s');
  show('floorShareVisited', Math.round(100 * c.floorShareVisited) + ' %');
  show('cameraGap', c.cameraGapSeconds > 0 ? c.cameraGap : 'none');
  const f = c.footfall;
  document.getElementById('footfall').hidden = !f;
  if (f) {
    show('footfallIn', f.in);
    show('footfallOut', f.out);
    show('occupancy', f.occupancy === null ? '–' : f.occupancy);
  }
  const zones = c.zones || {};
  document.getElementById('zones').hidden = Object.keys(zones).length === 0;
  const stay = (s) => s === null || s === undefined ? '–' : s < 60 ? Math.round(s) + ' s' : Math.floor(s / 60) + ' min';
  document.getElementById('zoneRows').replaceChildren(...Object.keys(zones).map((name) => {
    const z = zones[name];
    const tr = document.createElement('tr');
    for (const v of [name, z.occupancy, z.visits, stay(z.medianDwellSeconds), z.queue ? z.queue.length : '', z.queue ? stay(z.queue.estimatedWaitSeconds) : '']) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  }));
}
async function refresh() {
  try {
    const s = await (await fetch('statistics?format=json', { cache: 'no-store' })).json();
    show('lastSavedAt', s.lastSavedAt ? new Date(s.lastSavedAt).toLocaleTimeString() : 'not yet');
    if (!s.cameras) { showCamera(s); return; }
    const ids = Object.keys(s.cameras);
    if (picker.hidden || [...picker.options].map((o) => o.value).join() !== ids.join()) {
      const chosen = ids.includes(picker.value) ? picker.value : ids[0];
      picker.replaceChildren(...ids.map((id) => new Option(id, id, false, id === chosen)));
      picker.hidden = false;
      document.getElementById('store').hidden = false;
      video.src = 'overlay_feed/' + encodeURIComponent(picker.value);
    }
    show('scope', picker.value);
    showCamera(s.cameras[picker.value] || {});
    show('storePeopleInView', s.store.peopleInView);
    show('storeUniquePeople', s.store.uniquePeople);
    show('storeTotalActivity', s.store.totalActivity);
    const sf = s.store.footfall;
    document.getElementById('storeFootfallLabel').hidden = !sf;
    document.getElementById('storeFootfall').hidden = !sf;
    if (sf) show('storeFootfall', sf.in + ' / ' + sf.occupancy);
  } catch (err) {
    show('cameraStatus', 'page cannot reach the server');
  }
}
refresh();
setInterval(refresh, 2000);
document.getElementById('save').onclick = async () => {
  const r = await fetch('save_heatmap', { method: 'POST' });
  const body = await r.json().catch(() => ({}));
  alert(r.ok ? 'Saved.' : 'Save failed: ' + (body.payload && body.payload.error || body.error || r.status));
  refresh();
};
document.getElementById('reset').onclick = async () => {
  if (!confirm("Empty today's heatmap and visitor count of every camera? This cannot be undone.")) return;
  await fetch('reset_heatmap', { method: 'POST' });
  refresh();
};
</script>
</body>
</html>
`;

const STATISTICS_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Statistics</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;background:#111;color:#eee}table{border-collapse:collapse}td{padding:4px 12px;border-bottom:1px solid #333}td:first-child{color:#9ab}a{color:#8cf}</style>
</head>
<body>
<h1>Statistics</h1>
<table>
{{#rows}}<tr><td>{{name}}</td><td>{{value}}</td></tr>
{{/rows}}
</table>
<p><a href="statistics?format=json">JSON</a> · <a href="./">store page</a></p>
</body>
</html>
`;

const UI_THEME = {
  name: 'theme-dark',
  lightTheme: { default: '#0094CE', baseColor: '#0094CE', baseFont: 'system-ui,sans-serif', edited: false },
  darkTheme: {
    default: '#097479',
    baseColor: '#e0664b',
    baseFont: 'system-ui,sans-serif',
    edited: true,
    reset: false,
  },
  customTheme: {
    name: 'Untitled Theme 1',
    default: '#4B7930',
    baseColor: '#4B7930',
    baseFont: 'system-ui,sans-serif',
  },
  themeState: {
    'base-color': { default: '#097479', value: '#e0664b', edited: true },
    'page-titlebar-backgroundColor': { value: '#e0664b', edited: false },
    'page-backgroundColor': { value: '#111111', edited: false },
    'page-sidebar-backgroundColor': { value: '#333333', edited: false },
    'group-textColor': { value: '#ed927e', edited: false },
    'group-borderColor': { value: '#555555', edited: false },
    'group-backgroundColor': { value: '#333333', edited: false },
    'widget-textColor': { value: '#eeeeee', edited: false },
    'widget-backgroundColor': { value: '#e0664b', edited: false },
    'widget-borderColor': { value: '#333333', edited: false },
    'base-font': { value: 'system-ui,sans-serif' },
  },
  angularTheme: { primary: 'indigo', accents: 'blue', warn: 'red', background: 'grey', palette: 'light' },
};

function uiText(
  id: string,
  label: string,
  order: number,
  x: number,
  y: number,
  uiGroup = 'sa-ui-today',
): FlowNode {
  return node(
    'ui_text',
    id,
    label,
    x,
    y,
    {
      group: uiGroup,
      order,
      width: 6,
      height: 1,
      label,
      format: '{{msg.payload}}',
      layout: 'row-spread',
      className: '',
      style: false,
      font: '',
      fontSize: '',
      color: '#000000',
    },
    [],
  );
}

/** A node-red-dashboard chart with this package's look; `props` says what it shows. */
function uiChart(
  id: string,
  name: string,
  x: number,
  y: number,
  props: {
    group: string;
    order: number;
    label: string;
    chartType: 'line' | 'bar';
    interpolate: string;
    nodata: string;
    removeOlderUnit: string;
  },
): FlowNode {
  return node(
    'ui_chart',
    id,
    name,
    x,
    y,
    {
      group: props.group,
      order: props.order,
      width: 6,
      height: 4,
      label: props.label,
      chartType: props.chartType,
      legend: 'true',
      xformat: 'HH:mm',
      interpolate: props.interpolate,
      nodata: props.nodata,
      dot: false,
      ymin: '0',
      ymax: '',
      removeOlder: 1,
      removeOlderPoints: '',
      removeOlderUnit: props.removeOlderUnit,
      cutout: 0,
      useOneColor: false,
      useUTC: false,
      colors: [
        '#e0664b',
        '#aec7e8',
        '#ff7f0e',
        '#2ca02c',
        '#98df8a',
        '#d62728',
        '#ff9896',
        '#9467bd',
        '#c5b0d5',
      ],
      outputs: 1,
      useDifferentColor: false,
      className: '',
    },
    [[]],
  );
}

/** Lines, zones (fractions of the frame, as the nodes store them) and alert rules, as JSON text. */
export interface CountingSpec {
  lines: string;
  zones: string;
  rules: string;
}

/** The shipped flows' counting: nothing drawn yet, so the frames pass through uncounted. */
const NOTHING_DRAWN: CountingSpec = { lines: '[]', zones: '[]', rules: '[]' };

/**
 * The counting group: the heatmap's frames through line-counter and zone-monitor on to the
 * statistics link; crossings and visits to a debug node (wire MQTT there), alerts to the dashboard.
 */
function countingNodes(counting: CountingSpec, top: number): FlowNode[] {
  const cy = top + 60;
  return [
    linkIn('sa-counting-in', 'tracked frames', 500, cy, ['sa-counting-out'], [['sa-footfall']]),
    // reset from the store page, /reset_heatmap and the dashboard empties the day's counts too.
    linkIn(
      'sa-counting-commands-in',
      'day commands',
      500,
      cy + 50,
      ['sa-http-commands-out', 'sa-ui-commands-out'],
      [['sa-footfall', 'sa-zones']],
    ),
    node(
      'line-counter',
      'sa-footfall',
      'count at the lines',
      700,
      cy,
      {
        camera: '',
        lines: counting.lines,
        bandPx: DEFAULT_LINE_COUNTER.bandPx,
        minSideSeconds: DEFAULT_LINE_COUNTER.minSideSeconds,
        occupancy: true,
        occupancyResetHour: '',
        directory: '',
      },
      [['sa-zones'], ['sa-events', 'sa-events-out']],
    ),
    node(
      'zone-monitor',
      'sa-zones',
      'zones and queues',
      920,
      cy,
      {
        camera: '',
        zones: counting.zones,
        inertiaSeconds: DEFAULT_ZONE_MONITOR.inertiaSeconds,
        rules: counting.rules,
        directory: '',
      },
      [['sa-statistics-out'], ['sa-events', 'sa-events-out'], ['sa-alerts-out']],
    ),
    linkOut('sa-statistics-out', 'statistics', 1130, cy - 30, [
      'sa-statistics-in',
      'sa-ui-statistics-in',
      'sa-history-in',
      'sa-uplink-in',
    ]),
    linkOut('sa-events-out', 'events', 1330, cy + 30, ['sa-uplink-in']),
    node(
      'debug',
      'sa-events',
      'crossings and visits',
      1150,
      cy + 30,
      {
        active: false,
        tosidebar: true,
        console: false,
        tostatus: false,
        complete: 'payload',
        targetType: 'msg',
        statusVal: '',
        statusType: 'auto',
      },
      [],
    ),
    linkOut('sa-alerts-out', 'alerts', 1130, cy + 80, ['sa-ui-alerts-in']),
    comment(
      'sa-counting-note',
      'Draw lines and zones: open the two nodes',
      700,
      cy + 100,
      'Open "count at the lines" or "zones and queues": the dialog shows the camera picture; drag to draw ' +
        'a line (the arrow shows "in"), click to draw a zone, then Deploy. Until a line or zone is drawn the ' +
        "frames pass through uncounted (example 03 sets the demo clip's by message). Both nodes keep each " +
        'camera apart; the same lines count at every camera unless Camera is set (several cameras with ' +
        'doors of their own: copy the node, set Camera in each, wire the copies one after the other). ' +
        'Crossings and zone visits leave on the second outputs, one ' +
        'message each (wire MQTT or an alert there); threshold alerts on the third output of "zones and queues". ' +
        "The day's counts are saved under data/counts and restored after a restart.",
    ),
  ];
}

/** The dashboard's footfall and zone widgets and the alert notification. */
function countingDashboard(dx: number, dy: (row: number) => number): FlowNode[] {
  return [
    linkIn('sa-ui-alerts-in', 'alerts', dx, dy(14), ['sa-alerts-out'], [['sa-ui-alert-text']]),
    fn('sa-ui-alert-text', 'alert text', dx + 200, dy(14), 1, ALERT_TEXT, [['sa-ui-alert']]),
    node(
      'ui_toast',
      'sa-ui-alert',
      'alert for staff',
      dx + 400,
      dy(14),
      {
        position: 'top right',
        displayTime: '10',
        highlight: '#e0664b',
        sendall: true,
        outputs: 0,
        ok: 'OK',
        cancel: '',
        raw: false,
        className: '',
        topic: '',
      },
      [],
    ),
    fn('sa-ui-footfall', 'footfall and zones', dx + 400, dy(17), 5, DASHBOARD_COUNTING, [
      ['sa-ui-in'],
      ['sa-ui-out'],
      ['sa-ui-inside'],
      ['sa-ui-zones'],
      ['sa-ui-footfall-chart'],
    ]),
    uiText('sa-ui-in', 'Came in today', 1, dx + 660, dy(15), 'sa-ui-counting'),
    uiText('sa-ui-out', 'Went out today', 2, dx + 660, dy(16), 'sa-ui-counting'),
    uiText('sa-ui-inside', 'Inside now', 3, dx + 660, dy(17), 'sa-ui-counting'),
    node(
      'ui_template',
      'sa-ui-zones',
      'zones table',
      dx + 660,
      dy(18),
      {
        group: 'sa-ui-counting',
        order: 4,
        width: 6,
        height: 3,
        format: DASHBOARD_ZONES.trim(),
        storeOutMessages: true,
        fwdInMessages: false,
        resendOnRefresh: true,
        templateScope: 'local',
        className: '',
      },
      [[]],
    ),
    uiChart('sa-ui-footfall-chart', 'footfall per hour chart', dx + 660, dy(19), {
      group: 'sa-ui-counting',
      order: 5,
      label: 'Footfall per hour today',
      chartType: 'bar',
      interpolate: 'linear',
      nodata: 'no crossings yet',
      removeOlderUnit: '86400',
    }),
  ];
}

/**
 * The history group: frames (after counting, when there is counting) and heat snapshots into
 * analytics-history; its three GET endpoints answered by it.
 */
function historyGroupNodes(hx: number): FlowNode[] {
  return [
    linkIn(
      'sa-history-in',
      'frames, heat, queries',
      hx,
      100,
      ['sa-statistics-out', 'sa-snapshots-out', 'sa-ui-history-ask'],
      [['sa-history']],
    ),
    httpIn('sa-history-get', 'get', '/history', hx, 160, [['sa-history']]),
    httpIn('sa-history-csv', 'get', '/history.csv', hx, 210, [['sa-history']]),
    httpIn('sa-heatmap-png', 'get', '/heatmap.png', hx, 260, [['sa-history']]),
    node(
      'analytics-history',
      'sa-history',
      'history per minute',
      hx + 230,
      160,
      { file: '', retentionDays: 400, maxFrameInterval: DEFAULT_HEAT_OPTIONS.maxFrameIntervalSeconds },
      [['sa-history-out'], ['sa-history-answers-out'], []],
    ),
    httpResponse('sa-history-out', 'history answer', hx + 430, 140),
    linkOut('sa-history-answers-out', 'reports', hx + 430, 190, ['sa-ui-history-in']),
    comment(
      'sa-history-note',
      'Database: data/history.db (400 days)',
      hx + 230,
      320,
      'Every minute of every camera (people in view, visitors, footfall per line, zones, activity and the ' +
        "seconds without frames) and every hour's heat grid, in SQLite under the Node-RED user directory. " +
        'GET /history?camera=&from=YYYY-MM-DD&to=YYYY-MM-DD&step=minute|hour|day (JSON), /history.csv (the ' +
        'same as CSV), /heatmap.png?camera=&date=YYYY-MM-DD&hour=9-17 (heat over the empty store; ' +
        '&compare=YYYY-MM-DD: the difference to that day). The second output answers queries from flows ' +
        '(the History tab); the third gives each written minute (head office gets them from "report to head office").',
    ),
  ];
}

/** Reporting to head office (off until MQTT_URL is set): frames and counting events into store-uplink. */
function uplinkGroupNodes(ux: number): FlowNode[] {
  return [
    linkIn(
      'sa-uplink-in',
      'frames, events',
      ux,
      100,
      ['sa-statistics-out', 'sa-events-out'],
      [['sa-uplink']],
    ),
    node(
      'store-uplink',
      'sa-uplink',
      'report to head office',
      ux + 200,
      100,
      {
        store: '${STORE_ID}',
        url: '${MQTT_URL}',
        caFile: '${MQTT_CA}',
        file: '',
        keepDays: 7,
        discovery: false,
        discoveryPrefix: 'homeassistant',
      },
      [],
    ),
    comment(
      'sa-uplink-note',
      'Head office: set MQTT_URL and STORE_ID',
      ux + 200,
      160,
      'Off until a broker is set: MQTT_URL=mqtt://broker:1883 (mqtts:// for TLS, MQTT_CA for a private CA), ' +
        'STORE_ID=<this store>, and the broker user and password in the node (or MQTT_USERNAME, ' +
        "MQTT_PASSWORD). Then every minute row, each hour's heat and each crossing and zone event go to " +
        'store-analytics/<store>/<camera>/... at QoS 1 through an outbox in data/history.db, kept while the ' +
        'broker is away (7 days at most) and sent in order after; state topics and online/offline are ' +
        'retained. Head office: example "05 head office".',
    ),
  ];
}

/** A nightly CSV of the day before (example 04's add-on): a file per day, for a spreadsheet or a shared drive. */
function historyExportNodes(hx: number, top: number): FlowNode[] {
  const row = (n: number) => top + 50 * n;
  const inject = (id: string, name: string, y: number, topic: string, crontab: string) =>
    node(
      'inject',
      id,
      name,
      hx,
      y,
      {
        props: [{ p: 'topic', vt: 'str' }],
        repeat: '',
        crontab,
        once: false,
        onceDelay: 0.1,
        topic,
      },
      [['sa-export-ask']],
    );
  return [
    inject('sa-export-nightly', 'every night at 00:10', row(0), 'export yesterday', '10 00 * * *'),
    inject('sa-export-now', 'export today so far', row(1), 'export today', ''),
    fn('sa-export-ask', "a day's hours as CSV", hx + 220, row(0.5), 1, EXPORT_ASK, [['sa-export-ask-out']]),
    linkOut('sa-export-ask-out', 'to history', hx + 420, row(0.5), ['sa-history-in']),
    linkIn('sa-export-in', 'reports', hx, row(2.5), ['sa-history-answers-out'], [['sa-export-file']]),
    fn('sa-export-file', 'file name of the day', hx + 200, row(2.5), 1, EXPORT_FILE, [['sa-export-write']]),
    node(
      'file',
      'sa-export-write',
      'write the CSV',
      hx + 420,
      row(2.5),
      {
        filename: 'filename',
        filenameType: 'msg',
        appendNewline: false,
        createDir: true,
        overwriteFile: 'true',
        encoding: 'utf8',
      },
      [[]],
    ),
    comment(
      'sa-export-note',
      'Files: data/exports/history-YYYY-MM-DD.csv',
      hx + 200,
      row(3.5),
      'Every night at 00:10 the day before is written as CSV (one row per hour and camera, as GET ' +
        '/history.csv?step=hour), under the Node-RED user directory, or in HISTORY_EXPORT_DIR when that ' +
        'environment variable is set. The button writes today so far. Change the inject for a weekly file, ' +
        "or the function's query for minutes (step: 'minute').",
    ),
  ];
}

/**
 * The History tab: once a minute the report (today against the same weekday last week, 30 days, the
 * busiest hours, zone dwell) is asked of analytics-history, and its answer drawn; the heat of a
 * chosen day and hours, and the CSV export, are read from the HTTP endpoints by the browser.
 */
function historyDashboardNodes(hx: number, top: number): FlowNode[] {
  const row = (n: number) => top + 50 * n;
  return [
    node(
      'inject',
      'sa-ui-history-tick',
      'every minute',
      hx,
      row(0),
      {
        props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }],
        repeat: '60',
        crontab: '',
        once: true,
        onceDelay: '5',
        topic: 'history/report',
        payload: '{}',
        payloadType: 'json',
      },
      [['sa-ui-history-ask']],
    ),
    linkOut('sa-ui-history-ask', 'to history', hx + 180, row(0), ['sa-history-in']),
    linkIn(
      'sa-ui-history-in',
      'reports',
      hx,
      row(2.5),
      ['sa-history-answers-out'],
      [['sa-ui-history-charts']],
    ),
    fn('sa-ui-history-charts', 'history report', hx + 200, row(2.5), 6, HISTORY_CHARTS, [
      ['sa-ui-history-footfall'],
      ['sa-ui-history-visitors'],
      ['sa-ui-history-days'],
      ['sa-ui-history-busiest'],
      ['sa-ui-history-dwell'],
      ['sa-ui-history-heat'],
    ]),
    uiChart('sa-ui-history-footfall', 'footfall per hour chart', hx + 460, row(0), {
      group: 'sa-ui-g-history-today',
      order: 1,
      label: 'Came in per hour',
      chartType: 'bar',
      interpolate: 'linear',
      nodata: 'no door line counted',
      removeOlderUnit: '86400',
    }),
    uiChart('sa-ui-history-visitors', 'visitors per hour chart', hx + 460, row(1), {
      group: 'sa-ui-g-history-today',
      order: 2,
      label: 'Visitors per hour',
      chartType: 'bar',
      interpolate: 'linear',
      nodata: 'no visitors recorded yet',
      removeOlderUnit: '86400',
    }),
    uiChart('sa-ui-history-days', '30 days chart', hx + 460, row(2), {
      group: 'sa-ui-g-history-days',
      order: 1,
      label: 'Day totals, last 30 days',
      chartType: 'bar',
      interpolate: 'linear',
      nodata: 'no day recorded yet',
      removeOlderUnit: '86400',
    }),
    node(
      'ui_template',
      'sa-ui-history-busiest',
      'busiest hours table',
      hx + 460,
      row(3),
      {
        group: 'sa-ui-g-history-days',
        order: 2,
        width: 6,
        height: 4,
        format: HISTORY_BUSIEST.trim(),
        storeOutMessages: true,
        fwdInMessages: false,
        resendOnRefresh: true,
        templateScope: 'local',
        className: '',
      },
      [[]],
    ),
    uiChart('sa-ui-history-dwell', 'zone dwell chart', hx + 460, row(4), {
      group: 'sa-ui-g-history-days',
      order: 3,
      label: 'Mean dwell per zone (s)',
      chartType: 'bar',
      interpolate: 'linear',
      nodata: 'no zone visits recorded',
      removeOlderUnit: '86400',
    }),
    node(
      'ui_template',
      'sa-ui-history-heat',
      'heat by day and export',
      hx + 460,
      row(5),
      {
        group: 'sa-ui-g-history-heat',
        order: 1,
        width: 12,
        height: 10,
        format: HISTORY_HEAT.trim(),
        storeOutMessages: true,
        fwdInMessages: false,
        resendOnRefresh: true,
        templateScope: 'local',
        className: '',
      },
      [[]],
    ),
  ];
}

/**
 * The store-analytics flow for these cameras (one or more). It counts footfall and zones once lines
 * and zones are drawn in its counting group (none by default; `counting` draws some).
 */
export function storeAnalyticsFlow(
  cameras: readonly CameraSpec[],
  options: { example?: string; counting?: CountingSpec } = {},
): FlowNode[] {
  const counting = options.counting ?? NOTHING_DRAWN;
  if (cameras.length === 0) throw new Error('a store needs at least one camera');
  const ids = new Set(cameras.map((c) => c.id));
  if (ids.size !== cameras.length) throw new Error('each camera needs its own id');
  const below = 100 + 60 * cameras.length; // the cameras group grows downwards with each camera

  const cameraNodes = cameras.map(cameraNode);
  const camerasNote = comment(
    'sa-cameras-note',
    'Add a camera: copy camera-1, wire it here',
    250,
    below,
    'Each camera is one rtsp-in node wired to the link "to the pipeline". To add one: select camera-1, ' +
      'copy and paste it (Ctrl+C, Ctrl+V), set its URL and a camera id of its own (camera-2, ...), and ' +
      'wire it to "to the pipeline". Everything downstream keeps each camera apart: its own heat, ' +
      'numbers, video at /video_feed/<camera id> and /overlay_feed/<camera id>, and its own saved day.\n\n' +
      'Without the editor: `CAMERA_URLS="rtsp://... rtsp://..." npm start` builds this flow with one ' +
      'node per URL on first start.',
  );
  const framesOut = linkOut('sa-frames-out', 'to the pipeline', 380, 100, ['sa-frames-in']);
  const cameraGroupNodes = [...cameraNodes, framesOut, camerasNote];
  const camerasGroup = group('sa-g-cameras', 'Cameras: one rtsp-in per camera', 'cameras', cameraGroupNodes);

  // Pipeline: frames -> detection -> tracking -> heat; feeds; commands in through one link.
  const framesIn = linkIn(
    'sa-frames-in',
    'camera frames',
    500,
    100,
    ['sa-frames-out'],
    [['sa-detect', 'sa-video-feed']],
  );
  const model = {
    id: 'sa-model',
    type: 'yolo-model',
    name: 'yolov8n',
    modelPath: '',
    threads: 1,
    sessions: 0,
    executionProvider: 'cpu',
  };
  const detect = node(
    'yolo-detect',
    'sa-detect',
    'detect people',
    640,
    100,
    {
      model: 'sa-model',
      classes: 'person',
      scoreThreshold: 0.5,
      iouThreshold: 0.7,
      detectEvery: 1,
      motionGate: true,
    },
    [['sa-tracker']],
  );
  const tracker = node('tracker', 'sa-tracker', 'track people', 820, 100, { ...DEFAULT_TRACKER_OPTIONS }, [
    ['sa-heatmap'],
  ]);
  const commandsIn = linkIn(
    'sa-commands-in',
    'heatmap commands',
    820,
    160,
    ['sa-restore-out', 'sa-http-commands-out', 'sa-ui-commands-out', 'sa-viewers-out'],
    [['sa-heatmap']],
  );
  const heatmap = node(
    'heatmap',
    'sa-heatmap',
    'heat per camera',
    1000,
    120,
    {
      cellSize: DEFAULT_HEAT_OPTIONS.cellSize,
      radius: DEFAULT_HEAT_OPTIONS.radius,
      liveWindowMinutes: DEFAULT_HEAT_OPTIONS.liveWindowMinutes,
      maxFrameInterval: DEFAULT_HEAT_OPTIONS.maxFrameIntervalSeconds,
      alpha: 0.3,
      overlayFps: 5,
      overlayView: 'day',
      snapshotInterval: 1,
      backgroundInterval: 10,
      resetDaily: true,
    },
    [['sa-counting-out'], ['sa-overlay-feed'], ['sa-snapshots-out']],
  );
  // The frames go through the counting group first and leave it to the statistics.
  const statisticsOut = linkOut('sa-counting-out', 'to counting', 1190, 60, ['sa-counting-in']);
  const overlayFeed = node(
    'mjpeg-out',
    'sa-overlay-feed',
    'GET /overlay_feed',
    1220,
    120,
    { path: '/overlay_feed', maxClients: 0, camera: cameras[0].id },
    [[], ['sa-viewers-out']],
  );
  const viewersOut = linkOut('sa-viewers-out', 'viewers', 1370, 120, ['sa-commands-in']);
  const snapshotsOut = linkOut('sa-snapshots-out', 'heat snapshots', 1190, 180, [
    'sa-snapshots-in',
    'sa-history-in',
  ]);
  const videoFeed = node(
    'mjpeg-out',
    'sa-video-feed',
    'GET /video_feed',
    640,
    180,
    { path: '/video_feed', maxClients: 0, camera: cameras[0].id },
    [[], []],
  );
  const pipelineNote = comment(
    'sa-pipeline-note',
    'One chain serves every camera',
    1000,
    220,
    'Detection, tracking and heat keep each camera apart by its camera id (msg.frame.sourceId). ' +
      'The heatmap takes commands by msg.topic through "heatmap commands": reset, save, snapshot, ' +
      'restore (from the store) and viewers (from the overlay feed, so no overlay is drawn for nobody); ' +
      'msg.cameras names the cameras a command acts on (default: all).',
  );
  const pipelineNodes = [
    framesIn,
    detect,
    tracker,
    commandsIn,
    heatmap,
    statisticsOut,
    overlayFeed,
    viewersOut,
    snapshotsOut,
    videoFeed,
    pipelineNote,
  ];
  const pipelineGroup = group(
    'sa-g-pipeline',
    'Camera pipeline: detect, track, heat, video',
    'pipeline',
    pipelineNodes,
  );

  // Storage, right of the pipeline: heat snapshots in, saved-file answers and the restore out.
  const storageX = 1520;
  const snapshotsIn = linkIn(
    'sa-snapshots-in',
    'heat snapshots',
    storageX,
    100,
    ['sa-snapshots-out'],
    [['sa-store']],
  );
  const store = node(
    'heatmap-store',
    'sa-store',
    'save heat per day',
    storageX + 150,
    100,
    { directory: '', autosave: 300, keepHourly: false },
    [['sa-saved-out'], ['sa-restore-out', 'sa-saved-out']],
  );
  const savedOut = linkOut('sa-saved-out', 'saved', storageX + 310, 80, ['sa-saved-in']);
  const restoreOut = linkOut('sa-restore-out', 'restore', storageX + 310, 120, ['sa-commands-in']);
  const storageNote = comment(
    'sa-storage-note',
    'Files: data/saved_heatmaps/YYYYMMDD/',
    storageX + 150,
    160,
    "Every camera's day is written as NumPy data, PNG and JSON under the Node-RED user directory, every " +
      "5 minutes, on save and on redeploy. At start the store sends today's saved day back to the heatmap " +
      '("restore"); each camera takes only its own, and only once it sends frames again.',
  );
  const storageNodes = [snapshotsIn, store, savedOut, restoreOut, storageNote];
  const storageGroup = group('sa-g-storage', 'Storage: a saved day per camera', 'storage', storageNodes);

  // History, right of the storage: every minute of every camera, and its queries over HTTP.
  const historyNodes = historyGroupNodes(2300);
  const historyGroup = group(
    'sa-g-history',
    'History: every minute in SQLite, /history, /history.csv, /heatmap.png',
    'storage',
    historyNodes,
  );

  const uplinkNodes = uplinkGroupNodes(2960);
  const uplinkGroup = group(
    'sa-g-uplink',
    'Head office: this store over MQTT (off until MQTT_URL is set)',
    'storage',
    uplinkNodes,
  );

  const historyDashboard = historyDashboardNodes(2300, 460);
  const historyDashboardGroup = group(
    'sa-g-history-dashboard',
    'Dashboard: the History tab',
    'dashboard',
    historyDashboard,
  );

  // Counting, below the pipeline: idle (frames pass through) until lines or zones are drawn.
  const countingTop = Math.max(below, 260) + 60;
  const countingGroupNodes = countingNodes(counting, countingTop);
  const countingGroup = group(
    'sa-g-counting',
    'Counting: footfall at the lines, zones and queues',
    'pipeline',
    countingGroupNodes,
  );

  // HTTP API, below.
  const apiTop = countingTop + 270;
  const y = (row: number) => apiTop + 50 * row;
  const httpNodes: FlowNode[] = [
    httpIn('sa-page-in', 'get', '/', 170, y(0), [['sa-page']]),
    node(
      'template',
      'sa-page',
      'store page',
      400,
      y(0),
      {
        field: 'payload',
        fieldType: 'msg',
        format: 'html',
        syntax: 'plain',
        template: STORE_PAGE,
        output: 'str',
      },
      [['sa-page-out']],
    ),
    httpResponse('sa-page-out', 'page', 600, y(0), { 'content-type': 'text/html; charset=utf-8' }),
    httpIn('sa-stats-in', 'get', '/statistics', 170, y(1), [['sa-stats']]),
    fn('sa-stats', 'statistics', 400, y(1), 2, STATISTICS, [['sa-stats-out'], ['sa-stats-html']]),
    node(
      'template',
      'sa-stats-html',
      'HTML view',
      600,
      y(1) + 40,
      {
        field: 'payload',
        fieldType: 'msg',
        format: 'html',
        syntax: 'mustache',
        template: STATISTICS_HTML,
        output: 'str',
      },
      [['sa-stats-out']],
    ),
    httpResponse('sa-stats-out', 'statistics', 800, y(1)),
    httpIn('sa-reset-get', 'get', '/reset_heatmap', 170, y(3), [['sa-which-cameras']]),
    httpIn('sa-reset-post', 'post', '/reset_heatmap', 170, y(4), [['sa-which-cameras']]),
    httpIn('sa-save-get', 'get', '/save_heatmap', 170, y(5), [['sa-which-cameras']]),
    httpIn('sa-save-post', 'post', '/save_heatmap', 170, y(6), [['sa-which-cameras']]),
    fn('sa-which-cameras', 'which cameras?', 440, y(4.5), 3, WHICH_CAMERAS, [
      ['sa-http-commands-out', 'sa-reset-answer'],
      ['sa-http-commands-out'],
      ['sa-refused'],
    ]),
    linkOut('sa-http-commands-out', 'to heatmap commands', 700, y(3.5), [
      'sa-commands-in',
      'sa-counting-commands-in',
    ]),
    fn('sa-reset-answer', 'reset answer', 700, y(4.5), 1, RESET_ANSWER, [['sa-reset-out']]),
    httpResponse('sa-reset-out', 'reset done', 900, y(4.5)),
    httpResponse('sa-refused', '405/404', 700, y(5.5)),
    linkIn('sa-saved-in', 'saved', 480, y(7), ['sa-saved-out'], [['sa-save-answer']]),
    fn('sa-save-answer', 'remember, answer save', 680, y(7), 1, SAVE_ANSWER, [['sa-save-out']]),
    httpResponse('sa-save-out', 'saved files', 900, y(7)),
    linkIn(
      'sa-statistics-in',
      'statistics',
      480,
      y(8),
      ['sa-statistics-out'],
      [['sa-keep-statistics', 'sa-keep-counting']],
    ),
    node(
      'change',
      'sa-keep-statistics',
      'keep for /statistics',
      680,
      y(8),
      {
        rules: [{ t: 'set', p: 'statistics', pt: 'flow', to: 'store', tot: 'msg' }],
        action: '',
        property: '',
        from: '',
        to: '',
        reg: false,
      },
      [[]],
    ),
    fn('sa-keep-counting', 'keep footfall and zones', 920, y(8), 1, KEEP_COUNTING, [[]]),
    comment(
      'sa-http-note',
      'Endpoints: ?camera=<id> names cameras',
      420,
      y(9),
      'GET / store page, GET /statistics (JSON or HTML), GET|POST /reset_heatmap and /save_heatmap ' +
        '(?camera=camera-2 or a list: those cameras only; default all), and the video feeds /video_feed, ' +
        '/overlay_feed (+ /<camera id>). Protect them with httpNodeAuth in settings.js. If you imported ' +
        'this flow into a Node-RED that already runs it, delete one copy: two copies fight over these paths.',
    ),
  ];
  const httpGroup = group('sa-g-http', 'HTTP API: store page, statistics, reset, save', 'http', httpNodes);

  // Dashboard, right of the HTTP API.
  const dx = 1200;
  const dy = (row: number) => apiTop + 45 * row;
  const dashboardNodes: FlowNode[] = [
    linkIn(
      'sa-ui-statistics-in',
      'statistics',
      dx,
      dy(0),
      ['sa-statistics-out'],
      [['sa-ui-numbers', 'sa-ui-footfall']],
    ),
    fn('sa-ui-numbers', 'dashboard numbers', dx + 400, dy(3), 7, DASHBOARD_NUMBERS, [
      ['sa-ui-cameras'],
      ['sa-ui-people'],
      ['sa-ui-visitors'],
      ['sa-ui-activity'],
      ['sa-ui-gap'],
      ['sa-ui-saved'],
      ['sa-ui-chart'],
    ]),
    node(
      'ui_template',
      'sa-ui-cameras',
      'cameras: video and numbers',
      dx + 660,
      dy(0),
      {
        group: 'sa-ui-video',
        order: 1,
        width: 12,
        height: 11,
        format: DASHBOARD_CAMERAS.trim(),
        storeOutMessages: true,
        fwdInMessages: false,
        resendOnRefresh: true,
        templateScope: 'local',
        className: '',
      },
      [[]],
    ),
    uiText('sa-ui-people', 'People in view', 1, dx + 660, dy(1)),
    uiText('sa-ui-visitors', 'Visitors today', 2, dx + 660, dy(2)),
    uiText('sa-ui-activity', 'Activity time', 3, dx + 660, dy(3)),
    uiText('sa-ui-gap', 'Camera gaps today', 5, dx + 660, dy(4)),
    uiText('sa-ui-camera', 'Camera', 4, dx + 660, dy(5)),
    uiText('sa-ui-saved', 'Last save', 6, dx + 660, dy(6)),
    uiChart('sa-ui-chart', 'people in view chart', dx + 660, dy(7), {
      group: 'sa-ui-today',
      order: 7,
      label: 'People in view (last hour)',
      chartType: 'line',
      interpolate: 'step',
      nodata: 'waiting for data',
      removeOlderUnit: '3600',
    }),
    node('status', 'sa-camera-status', 'camera status', dx, dy(5.5), { scope: null }, [['sa-status-text']]),
    fn(
      'sa-status-text',
      'status per camera',
      dx + 190,
      dy(5.5),
      1,
      CAMERA_STATUS,
      [['sa-ui-camera', 'sa-ui-numbers']],
      // A deploy starts the cameras again: statuses of removed cameras must not linger.
      "flow.set('cameraStatus', {});\nflow.set('cameraStatusNodes', {});",
    ),
    node(
      'ui_button',
      'sa-ui-save',
      'Save now',
      dx + 20,
      dy(10.5),
      {
        group: 'sa-ui-today',
        order: 8,
        width: 3,
        height: 1,
        passthru: false,
        label: 'Save now',
        tooltip: 'Write every camera\u2019s heatmap to disk now',
        color: '',
        bgcolor: '',
        className: '',
        icon: 'fa-floppy-o',
        payload: '',
        payloadType: 'str',
        topic: 'save',
        topicType: 'str',
      },
      [['sa-ui-commands-out']],
    ),
    node(
      'ui_button',
      'sa-ui-reset',
      'Reset…',
      dx + 20,
      dy(12),
      {
        group: 'sa-ui-today',
        order: 9,
        width: 3,
        height: 1,
        passthru: false,
        label: 'Reset…',
        tooltip: 'Empty today\u2019s heatmap and visitor count of every camera',
        color: '',
        bgcolor: '',
        className: '',
        icon: 'fa-trash',
        payload: 'This empties today\u2019s heatmap and visitor count of every camera. It cannot be undone.',
        payloadType: 'str',
        topic: 'Reset today?',
        topicType: 'str',
      },
      [['sa-ui-confirm']],
    ),
    node(
      'ui_toast',
      'sa-ui-confirm',
      'confirm reset',
      dx + 200,
      dy(12),
      {
        position: 'dialog',
        displayTime: '3',
        highlight: '',
        sendall: false,
        outputs: 1,
        ok: 'Reset',
        cancel: 'Cancel',
        raw: false,
        className: '',
        topic: '',
      },
      [['sa-ui-confirmed']],
    ),
    fn('sa-ui-confirmed', 'reset if confirmed', dx + 400, dy(12), 1, CONFIRMED_RESET, [
      ['sa-ui-commands-out'],
    ]),
    linkOut('sa-ui-commands-out', 'to heatmap commands', dx + 760, dy(11), [
      'sa-commands-in',
      'sa-counting-commands-in',
    ]),
    ...countingDashboard(dx, dy),
  ];
  const dashboardGroup = group(
    'sa-g-dashboard',
    'Dashboard: the Store tab for staff',
    'dashboard',
    dashboardNodes,
  );

  const tab: FlowNode = {
    id: TAB,
    type: 'tab',
    label: 'Store analytics',
    disabled: false,
    info:
      (options.example ? `${options.example}\n\n` : '') +
      'Camera -> person detection -> tracking -> heatmap -> saved days and video, with HTTP endpoints and ' +
      'a dashboard tab. See the package README for settings and endpoints.',
  };
  const ui: FlowNode[] = [
    {
      id: 'sa-ui-base',
      type: 'ui_base',
      theme: UI_THEME,
      site: {
        name: 'Store analytics',
        hideToolbar: 'false',
        allowSwipe: 'false',
        lockMenu: 'false',
        allowTempTheme: 'true',
        dateFormat: 'DD/MM/YYYY',
        sizes: { sx: 48, sy: 48, gx: 6, gy: 6, cx: 6, cy: 6, px: 0, py: 0 },
      },
    },
    {
      id: 'sa-ui-tab',
      type: 'ui_tab',
      name: 'Store',
      icon: 'dashboard',
      order: 1,
      disabled: false,
      hidden: false,
    },
    {
      id: 'sa-ui-video',
      type: 'ui_group',
      name: 'Cameras',
      tab: 'sa-ui-tab',
      order: 1,
      disp: true,
      width: 12,
      collapse: false,
      className: '',
    },
    {
      id: 'sa-ui-today',
      type: 'ui_group',
      name: 'Store today',
      tab: 'sa-ui-tab',
      order: 2,
      disp: true,
      width: 6,
      collapse: false,
      className: '',
    },
    {
      id: 'sa-ui-history-tab',
      type: 'ui_tab',
      name: 'History',
      icon: 'fa-history',
      order: 2,
      disabled: false,
      hidden: false,
    },
    ...(
      [
        ['sa-ui-g-history-today', 'Today against the same day last week', 1, 12],
        ['sa-ui-g-history-days', 'Last 30 days', 2, 12],
        ['sa-ui-g-history-heat', 'Heat by day and hour', 3, 12],
      ] as const
    ).map(([id, name, order, width]) => ({
      id,
      type: 'ui_group',
      name,
      tab: 'sa-ui-history-tab',
      order,
      disp: true,
      width,
      collapse: false,
      className: '',
    })),
    {
      id: 'sa-ui-counting',
      type: 'ui_group',
      name: 'Footfall and zones',
      tab: 'sa-ui-tab',
      order: 3,
      disp: true,
      width: 6,
      collapse: false,
      className: '',
    },
  ];
  const groups = [
    camerasGroup,
    pipelineGroup,
    countingGroup,
    storageGroup,
    historyGroup,
    // After history: Node-RED closes nodes in the flow's order, so history's last write is queued
    // before the uplink sends what is left and says goodbye.
    uplinkGroup,
    httpGroup,
    dashboardGroup,
    historyDashboardGroup,
  ];
  // Every node on the canvas is in one group: the flow is the groups, their nodes, then config nodes.
  const byId = new Map(
    [
      ...cameraGroupNodes,
      ...pipelineNodes,
      ...countingGroupNodes,
      ...storageNodes,
      ...historyNodes,
      ...uplinkNodes,
      ...httpNodes,
      ...dashboardNodes,
      ...historyDashboard,
    ].map((n) => [n.id, n]),
  );
  const flow: FlowNode[] = [
    tab,
    ...groups,
    ...groups.flatMap((g) => (g.nodes as string[]).map((id) => byId.get(id)!)),
    model,
    ...ui,
  ];
  for (const n of flow) {
    const at = POSITIONS[n.id];
    // The counting group lays its own nodes out (its statistics link is not the pipeline's).
    if (at && n.g !== 'sa-g-counting') [n.x, n.y] = at;
  }
  fitGroups(flow);
  return flow;
}

/**
 * Example 03, an add-on for a running store flow: the demo clip's lines, zones and alert rule sent to
 * the counting group at each deploy (through its link "day commands"). Its own ids, no tab: the
 * editor puts it on the open flow; no HTTP route, no file.
 */
export function countingDemoAddOn(): FlowNode[] {
  const [x, y] = [1560, 360];
  const nodes = [
    node(
      'inject',
      'sa-demo-deploy',
      'at each deploy',
      x,
      y,
      {
        props: [{ p: 'topic', vt: 'str' }],
        repeat: '',
        crontab: '',
        once: true,
        onceDelay: 1,
        topic: 'areas',
      },
      [['sa-demo-areas']],
    ),
    fn('sa-demo-areas', "the demo clip's areas", x + 240, y, 1, demoAreasCode(), [['sa-demo-out']]),
    linkOut('sa-demo-out', 'to counting', x + 460, y, ['sa-counting-commands-in']),
    comment(
      'sa-demo-note',
      'Example 03: counting on the demo clip',
      x + 240,
      y + 60,
      'Import this into the running store flow (the one npm start seeds, or examples 01 or 02 imported ' +
        'first): it sends the demo clip\'s lines ("middle", "road"), zones ("left", "centre" as a queue) and ' +
        'an alert (more than 3 people in the centre for 10 s) to the counting group\'s "count at the lines" ' +
        'and "zones and queues" at each deploy, through their link "day commands". Footfall and zones then ' +
        'show on the store page, the dashboard, /statistics, in history and to head office.\n\n' +
        'Only while the flow plays the demo clip (CAMERA_URL unset). On your camera, draw your own lines ' +
        'and zones in those two nodes and delete this group: set by message, these would replace yours at ' +
        'the next deploy.',
    ),
  ];
  const addOn = [
    group('sa-g-demo', "Example 03: the demo clip's lines and zones", 'pipeline', nodes),
    ...nodes,
  ];
  fitGroups(addOn);
  return addOn;
}

/**
 * Example 04, an add-on for a running store flow: a CSV of every day written at night, asked of the
 * flow's history node through its links. Its own ids, no tab, no HTTP route; the files it writes are
 * named by day.
 */
export function historyExportAddOn(): FlowNode[] {
  const nodes = historyExportNodes(2300, 830);
  const addOn = [group('sa-g-history-export', 'Example 04: a CSV of every day', 'storage', nodes), ...nodes];
  fitGroups(addOn);
  return addOn;
}

/**
 * The flow with add-ons imported into its tab, as the editor's Import puts them: the add-on's link
 * nodes name the flow's, which do not name them back (Node-RED's runtime wires a link from either end).
 */
export function withAddOns(flow: FlowNode[], ...addOns: FlowNode[][]): FlowNode[] {
  const tab = flow.find((n) => n.type === 'tab')!.id;
  return [...flow, ...addOns.flatMap((a) => a.map((n) => ({ ...n, z: tab })))];
}

/** What `npm run flows` writes: file name (from the package root) -> flow. */
export function shippedFlows(): Record<string, FlowNode[]> {
  const importNote =
    'If this Node-RED already runs the store-analytics flow (npm start seeds it), do not import it again: ' +
    'two copies fight over the same HTTP paths and camera ids. Add cameras to the running flow instead.';
  return {
    'flows/store-analytics.json': storeAnalyticsFlow(camerasFromEnvironment(1)),
    'examples/01 one camera.json': storeAnalyticsFlow(camerasFromEnvironment(1), {
      example: `One camera (its URL from the CAMERA_URL environment variable). ${importNote}`,
    }),
    'examples/02 several cameras.json': storeAnalyticsFlow(camerasFromEnvironment(2), {
      example: `Two cameras (CAMERA_URL and CAMERA_URL_2) sharing one model, tracker and heatmap. ${importNote}`,
    }),
    'examples/03 counting and zones.json': countingDemoAddOn(),
    'examples/04 history and reports.json': historyExportAddOn(),
    'examples/05 head office.json': headOfficeFlow(),
  };
}
