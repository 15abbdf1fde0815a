/**
 * Storage, right of the pipeline: heat snapshots in, a saved day per camera on disk; the saves'
 * notices out to the HTTP API ("saved", for the last save), today's saved day back to the heatmap
 * ("restore"), and the answer to a save asked over HTTP to its http response ("save answers").
 *
 *   heat snapshots ─> save heat per day ─1─> [saved]
 *                                       ─2─> [restore], [saved]
 *                                       ─3─> [save answers]
 */
import { FlowGroup, flowGroup } from '../builder/layout';
import { comment, linkIn, linkOut, node } from '../builder/nodes';

export function storageGroup(): FlowGroup {
  const x = 1720;
  return flowGroup('sa-g-storage', 'Storage: a saved day per camera', 'storage', [
    linkIn('sa-snapshots-in', 'heat snapshots', x, 100, ['sa-snapshots-out'], [['sa-store']]),
    node(
      'heatmap-store',
      'sa-store',
      'save heat per day',
      x + 180,
      100,
      { directory: '', autosave: 300, keepHourly: false, answerOwnOutput: true },
      [
        ['sa-saved-out'], // 1: saved (or failed)
        ['sa-restore-out', 'sa-saved-out'], // 2: today's saved day, at start
        ['sa-save-answers-out'], // 3: the answer to a save asked over HTTP
      ],
    ),
    linkOut('sa-saved-out', 'saved', x + 360, 80, ['sa-saved-in']),
    linkOut('sa-restore-out', 'restore', x + 360, 130, ['sa-commands-in']),
    linkOut('sa-save-answers-out', 'save answers', x + 360, 180, ['sa-save-answers-in']),
    comment(
      'sa-storage-note',
      'Files: data/saved_heatmaps/YYYYMMDD/',
      x + 180,
      240,
      "Every camera's day is written as NumPy data, PNG and JSON under the Node-RED user directory, every " +
        "5 minutes, on save and on redeploy. At start the store sends today's saved day back to the heatmap " +
        '("restore"); each camera takes only its own, and only once it sends frames again.',
    ),
  ]);
}
