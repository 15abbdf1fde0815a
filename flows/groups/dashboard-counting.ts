/**
 * The Store tab's counting part (in the dashboard group): the footfall and zone widgets and the
 * alert notification for staff.
 *
 *   alerts              -> alert text -> alert for staff
 *   (statistics)        -> footfall and zones   1 -> Came in today   2 -> Went out today
 *                          3 -> Inside now   4 -> zones table   5 -> footfall per hour chart
 *
 * "footfall and zones" is fed by the dashboard's "statistics" link (dashboard.ts).
 */
import { functionCode, pageText } from '../builder/assets';
import { uiChart, uiTemplate, uiText } from '../builder/dashboard-widgets';
import { FlowNode } from '../builder/layout';
import { fn, linkIn, node } from '../builder/nodes';

/** The nodes, at `dx` and the dashboard's rows `dy`. */
export function countingDashboardNodes(dx: number, dy: (row: number) => number): FlowNode[] {
  return [
    linkIn('sa-ui-alerts-in', 'alerts', dx, dy(14), ['sa-alerts-out'], [['sa-ui-alert-text']]),
    fn('sa-ui-alert-text', 'alert text', dx + 200, dy(14), 1, functionCode('alert-text'), [['sa-ui-alert']]),
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
    fn('sa-ui-footfall', 'footfall and zones', dx + 400, dy(17), 5, functionCode('dashboard-counting'), [
      ['sa-ui-in'],
      ['sa-ui-out'],
      ['sa-ui-inside'],
      ['sa-ui-zones'],
      ['sa-ui-footfall-chart'],
    ]),
    uiText('sa-ui-in', 'Came in today', 1, dx + 660, dy(15), 'sa-ui-counting'),
    uiText('sa-ui-out', 'Went out today', 2, dx + 660, dy(16), 'sa-ui-counting'),
    uiText('sa-ui-inside', 'Inside now', 3, dx + 660, dy(17), 'sa-ui-counting'),
    uiTemplate(
      'sa-ui-zones',
      'zones table',
      dx + 660,
      dy(18),
      { group: 'sa-ui-counting', order: 4, width: 6, height: 3 },
      pageText('dashboard-zones'),
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
