/**
 * The counting group, below the pipeline: the heatmap's frames through line-counter and zone-monitor
 * on to the statistics link; crossings and visits to a debug node (wire MQTT there) and head office,
 * alerts to the dashboard. Idle (frames pass through) until lines or zones are drawn.
 *
 *   tracked frames      -> count at the lines
 *   day commands        -> count at the lines, zones and queues
 *   count at the lines  1 -> zones and queues   2 -> crossings and visits, [events]
 *   zones and queues    1 -> [statistics]   2 -> crossings and visits, [events]   3 -> [alerts]
 *
 * [statistics] goes to the HTTP API, the dashboard, history and the uplink; day commands come from the
 * HTTP API's and the dashboard's reset (and example 03's areas).
 */
import { DEFAULT_LINE_COUNTER } from '../../nodes/lib/counting/line-counter';
import { DEFAULT_ZONE_MONITOR } from '../../nodes/lib/counting/zone-monitor';
import { FlowGroup, flowGroup } from '../builder/layout';
import { comment, linkIn, linkOut, node } from '../builder/nodes';

/** Lines, zones (fractions of the frame, as the nodes store them) and alert rules, as JSON text. */
export interface CountingSpec {
  lines: string;
  zones: string;
  rules: string;
}

/** The shipped flows' counting: nothing drawn yet, so the frames pass through uncounted. */
export const NOTHING_DRAWN: CountingSpec = { lines: '[]', zones: '[]', rules: '[]' };

/** The counting group, its first row at `top` + 60. */
export function countingGroup(counting: CountingSpec, top: number): FlowGroup {
  const cy = top + 60;
  return flowGroup('sa-g-counting', 'Counting: footfall at the lines, zones and queues', 'pipeline', [
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
      [
        ['sa-zones'], // 1: frames with footfall
        ['sa-events', 'sa-events-out'], // 2: crossings
      ],
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
      [
        ['sa-statistics-out'], // 1: frames with footfall and zones
        ['sa-events', 'sa-events-out'], // 2: zone visits
        ['sa-alerts-out'], // 3: threshold alerts
      ],
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
  ]);
}
