/**
 * Example 04, an add-on for a running store flow: a CSV of every day written at night, asked of the
 * flow's history node through its links. Its own ids, no tab, no HTTP route; the files it writes are
 * named by day.
 *
 *   every night at 00:10, export today so far -> a day's hours as CSV -> [to history]
 *   reports -> file name of the day -> write the CSV
 */
import { functionCode } from '../builder/assets';
import { FlowNode, fitGroups, group } from '../builder/layout';
import { comment, fn, linkIn, linkOut, node } from '../builder/nodes';

/** A nightly CSV of the day before: a file per day, for a spreadsheet or a shared drive. */
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
    fn('sa-export-ask', "a day's hours as CSV", hx + 220, row(0.5), 1, functionCode('export-ask'), [
      ['sa-export-ask-out'],
    ]),
    linkOut('sa-export-ask-out', 'to history', hx + 420, row(0.5), ['sa-history-in']),
    linkIn('sa-export-in', 'reports', hx, row(2.5), ['sa-history-answers-out'], [['sa-export-file']]),
    fn('sa-export-file', 'file name of the day', hx + 200, row(2.5), 1, functionCode('export-file'), [
      ['sa-export-write'],
    ]),
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

export function historyExportAddOn(): FlowNode[] {
  const nodes = historyExportNodes(2300, 830);
  const addOn = [group('sa-g-history-export', 'Example 04: a CSV of every day', 'storage', nodes), ...nodes];
  fitGroups(addOn);
  return addOn;
}
