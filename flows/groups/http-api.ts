/**
 * The HTTP API, below the counting group: the store page, /statistics, reset and save; it keeps the
 * latest statistics and counting in flow context for them.
 *
 *   GET /                -> store page -> page
 *   GET /statistics      -> statistics   1 -> statistics (JSON)   2 -> HTML view -> statistics
 *   GET|POST /reset_heatmap, /save_heatmap -> which cameras?
 *   which cameras?       1 (reset) -> [to heatmap commands], reset answer -> reset done
 *                        2 (save)  -> [to heatmap commands] (the store's answer comes back on "save answers")
 *                        3 (405/404) -> 405/404
 *   save answers         -> saved files (the store's answer to a save asked here)
 *   saved                -> remember the last save (the store's notices and restore)
 *   statistics           -> keep for /statistics, keep footfall and zones
 *
 * [to heatmap commands] goes to the pipeline's "heatmap commands" and counting's "day commands".
 */
import { FlowGroup, FlowNode, flowGroup } from '../builder/layout';
import { functionCode, pageText } from '../builder/assets';
import { comment, fn, httpIn, httpResponse, linkIn, linkOut, node, template } from '../builder/nodes';

/** The HTTP API group, its first row at `top`, a row every 50 px. */
export function httpApiGroup(top: number): FlowGroup {
  const y = (row: number) => top + 50 * row;
  const nodes: FlowNode[] = [
    httpIn('sa-page-in', 'get', '/', 170, y(0), [['sa-page']]),
    template('sa-page', 'store page', 400, y(0), 'plain', pageText('store'), [['sa-page-out']]),
    httpResponse('sa-page-out', 'page', 600, y(0), { 'content-type': 'text/html; charset=utf-8' }),

    httpIn('sa-stats-in', 'get', '/statistics', 170, y(1), [['sa-stats']]),
    fn('sa-stats', 'statistics', 400, y(1), 2, functionCode('statistics'), [
      ['sa-stats-out'], // 1: JSON
      ['sa-stats-html'], // 2: rows for a browser
    ]),
    template('sa-stats-html', 'HTML view', 600, y(1) + 40, 'mustache', pageText('statistics'), [
      ['sa-stats-out'],
    ]),
    httpResponse('sa-stats-out', 'statistics', 800, y(1)),

    httpIn('sa-reset-get', 'get', '/reset_heatmap', 170, y(3), [['sa-which-cameras']]),
    httpIn('sa-reset-post', 'post', '/reset_heatmap', 170, y(4), [['sa-which-cameras']]),
    httpIn('sa-save-get', 'get', '/save_heatmap', 170, y(5), [['sa-which-cameras']]),
    httpIn('sa-save-post', 'post', '/save_heatmap', 170, y(6), [['sa-which-cameras']]),
    fn('sa-which-cameras', 'which cameras?', 440, y(4.5), 3, functionCode('which-cameras'), [
      ['sa-http-commands-out', 'sa-reset-answer'], // 1: reset
      ['sa-http-commands-out'], // 2: save (answered when the store has saved)
      ['sa-refused'], // 3: 405 or 404
    ]),
    linkOut('sa-http-commands-out', 'to heatmap commands', 700, y(3.5), [
      'sa-commands-in',
      'sa-counting-commands-in',
    ]),
    fn('sa-reset-answer', 'reset answer', 700, y(4.5), 1, functionCode('reset-answer'), [['sa-reset-out']]),
    httpResponse('sa-reset-out', 'reset done', 900, y(4.5)),
    httpResponse('sa-refused', '405/404', 700, y(5.5)),

    linkIn('sa-save-answers-in', 'save answers', 480, y(7), ['sa-save-answers-out'], [['sa-save-out']]),
    httpResponse('sa-save-out', 'saved files', 680, y(7)),
    linkIn('sa-saved-in', 'saved', 480, y(8), ['sa-saved-out'], [['sa-save-answer']]),
    fn('sa-save-answer', 'remember the last save', 680, y(8), 0, functionCode('save-answer'), []),

    linkIn(
      'sa-statistics-in',
      'statistics',
      480,
      y(9),
      ['sa-statistics-out'],
      [['sa-keep-statistics', 'sa-keep-counting']],
    ),
    node(
      'change',
      'sa-keep-statistics',
      'keep for /statistics',
      680,
      y(9),
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
    fn('sa-keep-counting', 'keep footfall and zones', 920, y(9), 1, functionCode('keep-counting'), [[]]),
    comment(
      'sa-http-note',
      'Endpoints: ?camera=<id> names cameras',
      420,
      y(10),
      'GET / store page, GET /statistics (JSON or HTML), GET|POST /reset_heatmap and /save_heatmap ' +
        '(?camera=camera-2 or a list: those cameras only; default all), and the video feeds /video_feed, ' +
        '/overlay_feed (+ /<camera id>). Protect them with httpNodeAuth in settings.js. If you imported ' +
        'this flow into a Node-RED that already runs it, delete one copy: two copies fight over these paths.',
    ),
  ];
  return flowGroup('sa-g-http', 'HTTP API: store page, statistics, reset, save', 'http', nodes);
}
