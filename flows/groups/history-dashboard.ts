/**
 * The dashboard's History tab, below the history group: once a minute the report (today against the
 * same weekday last week, 30 days, the busiest hours, zone dwell) is asked of analytics-history, and
 * its answer drawn; the heat of a chosen day and hours, and the CSV export, are read from the HTTP
 * endpoints by the browser.
 *
 *   every minute    -> [to history]
 *   reports         -> history report   1 -> footfall per hour chart   2 -> visitors per hour chart
 *                      3 -> 30 days chart   4 -> busiest hours table   5 -> zone dwell chart
 *                      6 -> heat by day and export
 */
import { functionCode, pageText } from '../builder/assets';
import { uiChart, uiTemplate } from '../builder/dashboard-widgets';
import { FlowGroup, flowGroup } from '../builder/layout';
import { fn, linkIn, linkOut, node } from '../builder/nodes';

/** The History tab's group at `hx`, its first row at `top`, a row every 50 px. */
export function historyDashboardGroup(hx: number, top: number): FlowGroup {
  const row = (n: number) => top + 50 * n;
  return flowGroup('sa-g-history-dashboard', 'Dashboard: the History tab', 'dashboard', [
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
    fn('sa-ui-history-charts', 'history report', hx + 200, row(2.5), 6, functionCode('history-charts'), [
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
    uiTemplate(
      'sa-ui-history-busiest',
      'busiest hours table',
      hx + 460,
      row(3),
      { group: 'sa-ui-g-history-days', order: 2, width: 6, height: 4 },
      pageText('history-busiest'),
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
    uiTemplate(
      'sa-ui-history-heat',
      'heat by day and export',
      hx + 460,
      row(5),
      { group: 'sa-ui-g-history-heat', order: 1, width: 12, height: 10 },
      pageText('history-heat'),
    ),
  ]);
}
