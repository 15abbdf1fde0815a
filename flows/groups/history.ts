/**
 * The history group, right of the storage: frames (after counting) and heat snapshots into
 * analytics-history; its three GET endpoints answered by it; queries from flows (the History tab,
 * example 04) come in on the same link and their answers leave on "reports".
 *
 *   frames, heat, queries, GET /history, GET /history.csv, GET /heatmap.png -> history per minute
 *   history per minute  1 -> history answer (HTTP)   2 -> [reports]   3 -> (each written minute: unwired)
 */
import { DEFAULT_HEAT_OPTIONS } from '../../nodes/lib/heatmap/heat-accumulator';
import { FlowGroup, flowGroup } from '../builder/layout';
import { comment, httpIn, httpResponse, linkIn, linkOut, node } from '../builder/nodes';

export function historyGroup(hx: number): FlowGroup {
  return flowGroup(
    'sa-g-history',
    'History: every minute in SQLite, /history, /history.csv, /heatmap.png',
    'storage',
    [
      linkIn(
        'sa-history-in',
        'frames, heat, queries',
        hx,
        100,
        ['sa-statistics-out', 'sa-heat-history-out', 'sa-ui-history-ask'],
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
        [
          ['sa-history-out'], // 1: HTTP answers
          ['sa-history-answers-out'], // 2: answers to flows' queries
          [], // 3: each written minute
        ],
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
    ],
  );
}
