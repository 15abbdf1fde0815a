/**
 * The dashboard's Store tab, right of the HTTP API: the cameras' video and numbers, the store's
 * numbers and chart, the camera status, Save and Reset (with a confirmation), and the counting part
 * (dashboard-counting.ts).
 *
 *   statistics       -> dashboard numbers, footfall and zones
 *   camera status    -> status per camera -> Camera, dashboard numbers
 *   dashboard numbers  1 -> cameras: video and numbers   2 -> People in view   3 -> Visitors today
 *                      4 -> Activity time   5 -> Camera gaps today   6 -> Last save   7 -> people in view chart
 *   Save now         -> [to heatmap commands]
 *   Reset…           -> confirm reset -> reset if confirmed -> [to heatmap commands]
 *
 * [to heatmap commands] goes to the pipeline's "heatmap commands" and counting's "day commands".
 */
import { functionCode, pageText } from '../builder/assets';
import { uiChart, uiTemplate, uiText } from '../builder/dashboard-widgets';
import { FlowGroup, FlowNode, flowGroup } from '../builder/layout';
import { fn, linkIn, linkOut, node } from '../builder/nodes';
import { countingDashboardNodes } from './dashboard-counting';

/** A dashboard button sending `topic` and `payload`. */
function uiButton(
  id: string,
  label: string,
  x: number,
  y: number,
  props: { order: number; tooltip: string; icon: string; payload: string; topic: string },
  wires: string[][],
): FlowNode {
  return node(
    'ui_button',
    id,
    label,
    x,
    y,
    {
      group: 'sa-ui-today',
      order: props.order,
      width: 3,
      height: 1,
      passthru: false,
      label,
      tooltip: props.tooltip,
      color: '',
      bgcolor: '',
      className: '',
      icon: props.icon,
      payload: props.payload,
      payloadType: 'str',
      topic: props.topic,
      topicType: 'str',
    },
    wires,
  );
}

/** The Store tab's group, its first row at `top`, a row every 45 px. */
export function dashboardGroup(top: number): FlowGroup {
  const dx = 1200;
  const dy = (row: number) => top + 45 * row;
  const nodes: FlowNode[] = [
    linkIn(
      'sa-ui-statistics-in',
      'statistics',
      dx,
      dy(0),
      ['sa-statistics-out'],
      [['sa-ui-numbers', 'sa-ui-footfall']],
    ),
    fn('sa-ui-numbers', 'dashboard numbers', dx + 400, dy(3), 7, functionCode('dashboard-numbers'), [
      ['sa-ui-cameras'],
      ['sa-ui-people'],
      ['sa-ui-visitors'],
      ['sa-ui-activity'],
      ['sa-ui-gap'],
      ['sa-ui-saved'],
      ['sa-ui-chart'],
    ]),
    uiTemplate(
      'sa-ui-cameras',
      'cameras: video and numbers',
      dx + 660,
      dy(0),
      { group: 'sa-ui-video', order: 1, width: 12, height: 11 },
      pageText('dashboard-cameras'),
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
      functionCode('camera-status'),
      [['sa-ui-camera', 'sa-ui-numbers']],
      // A deploy starts the cameras again: statuses of removed cameras must not linger.
      "flow.set('cameraStatus', {});\nflow.set('cameraStatusNodes', {});",
    ),
    uiButton(
      'sa-ui-save',
      'Save now',
      dx + 20,
      dy(10.5),
      {
        order: 8,
        tooltip: 'Write every camera\u2019s heatmap to disk now',
        icon: 'fa-floppy-o',
        payload: '',
        topic: 'save',
      },
      [['sa-ui-commands-out']],
    ),
    uiButton(
      'sa-ui-reset',
      'Reset…',
      dx + 20,
      dy(12),
      {
        order: 9,
        tooltip: 'Empty today\u2019s heatmap and visitor count of every camera',
        icon: 'fa-trash',
        payload: 'This empties today\u2019s heatmap and visitor count of every camera. It cannot be undone.',
        topic: 'Reset today?',
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
    // The dialog's answer comes back from the browser with a whole message the browser made. Only the
    // choice is read; the command is made in the function, so nothing else a client puts in it reaches
    // the heatmaps (which cameras, which day).
    fn('sa-ui-confirmed', 'reset if confirmed', dx + 400, dy(12), 1, functionCode('confirmed-reset'), [
      ['sa-ui-commands-out'],
    ]),
    linkOut('sa-ui-commands-out', 'to heatmap commands', dx + 760, dy(11), [
      'sa-commands-in',
      'sa-counting-commands-in',
    ]),
    ...countingDashboardNodes(dx, dy),
  ];
  return flowGroup('sa-g-dashboard', 'Dashboard: the Store tab for staff', 'dashboard', nodes);
}
