import assert from 'node:assert/strict';
import zoneMonitorNode from '../../nodes/zone-monitor/zone-monitor';
import type { ZonesMessage } from '../../nodes/zone-monitor/zone-monitor-types';
import { getNode, loadFlow, loggedErrors, received } from '../../support/node-red/test-helper';
import { waitFor } from '../../support/processes';
import { onePersonFrame, useCountsDirectory } from '../../support/counting/counts-directory';

/** The walkway of the plaza as a queue zone, as in the counting flow (test/nodes/flows/counting.test.ts). */
const ZONES = [
  {
    name: 'walkway',
    queue: true,
    polygon: [
      [0.2, 0.43],
      [0.8, 0.43],
      [0.8, 0.87],
      [0.2, 0.87],
    ],
  },
];

describe('zone-monitor node', function () {
  this.timeout(30000);
  const countsDirectory = useCountsDirectory();

  it('passes other cameras through, and answers bad input with an error', async () => {
    await loadFlow(
      [zoneMonitorNode],
      [
        {
          id: 'zones',
          type: 'zone-monitor',
          camera: 'plaza',
          zones: JSON.stringify(ZONES),
          rules: JSON.stringify([{ zone: 'walkway', measure: 'occupancy', above: 0, forSeconds: 1 }]),
          directory: countsDirectory(),
          wires: [['zoned'], ['visits'], ['alerts']],
        },
        { id: 'zoned', type: 'helper' },
        { id: 'visits', type: 'helper' },
        { id: 'alerts', type: 'helper' },
      ],
    );
    const zoned = received<ZonesMessage & { tracks: unknown[] }>('zoned');
    // zone-monitor counts camera "plaza" only.
    getNode('zones').receive(onePersonFrame('door', 300));
    await waitFor(() => zoned.length >= 1, 5000, 'a passed-through message');
    assert.equal(zoned[0].zones, undefined);
    getNode('zones').receive({ payload: 'hello' });
    await waitFor(() => loggedErrors().length >= 1, 5000, 'an error');
    const errors = loggedErrors().join('\n');
    assert.match(errors, /msg.tracks is missing/);
  });
});
