/**
 * Example 03, an add-on for a running store flow: the demo clip's lines, zones and alert rule sent to
 * the counting group at each deploy (through its link "day commands"). Its own ids, no tab: the
 * editor puts it on the open flow; no HTTP route, no file.
 *
 *   at each deploy -> the demo clip's areas -> [to counting]
 *
 * The areas are written out in flows/functions/demo-areas.js; a test holds them equal to
 * demoAreasAsFractions() and DEMO_RULES (counting-flow-code.ts).
 */
import { demoAreasCode } from '../counting-flow-code';
import { FlowNode, fitGroups, group } from '../builder/layout';
import { comment, fn, linkOut, node } from '../builder/nodes';

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
