/**
 * The one source of the shipped flows: `npm run flows` writes flows/store-analytics.json (the default
 * flow, one camera), `examples/01 one camera.json` and `examples/02 several cameras.json` from it, and
 * `npm start` builds the flow for the cameras in CAMERA_URLS with it. A test holds the files equal to
 * what this makes.
 *
 * Layout: groups left to right along the data (cameras -> pipeline -> storage -> history -> uplink),
 * counting below the pipeline, the HTTP API and the dashboard below that, the History tab below
 * history. Control paths (commands to the heatmap, the restore, save answers) run through link nodes,
 * so no wire runs backwards or hides behind a node. Each group is built in flows/groups/<group>.ts
 * (its wiring drawn at its top), with the node factories and the layout of flows/builder/; function
 * bodies are flows/functions/*.js and pages flows/pages/*.html.
 */

import { FlowGroup, FlowNode, STORE_TAB, fitGroups } from './builder/layout';
import { headOfficeFlow } from './head-office-flow';
import { CameraSpec, camerasBottom, camerasFromEnvironment, camerasGroup } from './groups/cameras';
import { countingDemoAddOn } from './groups/counting-demo';
import { CountingSpec, NOTHING_DRAWN, countingGroup } from './groups/counting';
import { dashboardGroup } from './groups/dashboard';
import { dashboardConfig } from './groups/dashboard-config';
import { historyGroup } from './groups/history';
import { historyDashboardGroup } from './groups/history-dashboard';
import { historyExportAddOn } from './groups/history-export';
import { httpApiGroup } from './groups/http-api';
import { pipelineGroup, yoloModel } from './groups/pipeline';
import { storageGroup } from './groups/storage';
import { uplinkGroup } from './groups/uplink';

export { estimatedHeight, estimatedWidth, fitGroups, group } from './builder/layout';
export type { FlowNode } from './builder/layout';
export { cameraUrlVariable, camerasFromEnvironment } from './groups/cameras';
export type { CameraSpec } from './groups/cameras';
export type { CountingSpec } from './groups/counting';
export { countingDemoAddOn } from './groups/counting-demo';
export { historyExportAddOn } from './groups/history-export';

/**
 * The store-analytics flow for these cameras (one or more). It counts footfall and zones once lines
 * and zones are drawn in its counting group (none by default; `counting` draws some).
 */
export function storeAnalyticsFlow(
  cameras: readonly CameraSpec[],
  options: { example?: string; counting?: CountingSpec } = {},
): FlowNode[] {
  if (cameras.length === 0) throw new Error('a store needs at least one camera');
  if (new Set(cameras.map((c) => c.id)).size !== cameras.length) {
    throw new Error('each camera needs its own id');
  }
  // Rows: counting below the pipeline (or below the cameras, which grow downwards with each camera),
  // the HTTP API and the dashboard below counting.
  const countingTop = Math.max(camerasBottom(cameras), 260) + 60;
  const apiTop = countingTop + 270;

  const groups: FlowGroup[] = [
    camerasGroup(cameras),
    pipelineGroup(cameras),
    countingGroup(options.counting ?? NOTHING_DRAWN, countingTop),
    storageGroup(),
    historyGroup(2300),
    // After history: Node-RED closes nodes in the flow's order, so history's last write is queued
    // before the uplink sends what is left and says goodbye.
    uplinkGroup(2960),
    httpApiGroup(apiTop),
    dashboardGroup(apiTop),
    historyDashboardGroup(2300, 460),
  ];
  const tab: FlowNode = {
    id: STORE_TAB,
    type: 'tab',
    label: 'Store analytics',
    disabled: false,
    info:
      (options.example ? `${options.example}\n\n` : '') +
      'Camera -> person detection -> tracking -> heatmap -> saved days and video, with HTTP endpoints and ' +
      'a dashboard tab. See the package README for settings and endpoints.',
  };
  // Every node on the canvas is in one group: the flow is the groups, their nodes, then config nodes.
  const flow: FlowNode[] = [
    tab,
    ...groups.map((g) => g.group),
    ...groups.flatMap((g) => g.nodes),
    yoloModel(),
    ...dashboardConfig(),
  ];
  fitGroups(flow);
  return flow;
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
