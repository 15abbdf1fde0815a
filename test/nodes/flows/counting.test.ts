import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import lineCounterNode from '../../../nodes/line-counter/line-counter';
import type { CrossingMessage, FootfallMessage } from '../../../nodes/line-counter/line-counter-types';
import rtspInNode from '../../../nodes/rtsp-in/rtsp-in';
import trackerNode from '../../../nodes/tracker/tracker';
import yoloDetectNode from '../../../nodes/yolo-detect/yolo-detect';
import yoloModelNode from '../../../nodes/yolo-model/yolo-model';
import zoneMonitorNode from '../../../nodes/zone-monitor/zone-monitor';
import type { ZoneEventMessage, ZonesMessage } from '../../../nodes/zone-monitor/zone-monitor-types';
import { demoClip } from '../../../support/assets';
import { getNode, helper, loadFlow, loggedErrors, received } from '../../../support/node-red/test-helper';
import { waitFor } from '../../../support/processes';
import { useCountsDirectory } from '../../../support/counting/counts-directory';

const NODES = [rtspInNode, yoloModelNode, yoloDetectNode, trackerNode, lineCounterNode, zoneMonitorNode];

/** A line down the middle of the plaza (people walk left and right across it) and the walkway as a zone. */
const LINES = [{ name: 'middle', from: [0.5, 0.26], to: [0.5, 0.97] }];
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

function flow(directory: string, autoStart = true) {
  return [
    { id: 'model', type: 'yolo-model', modelPath: '', threads: 1, sessions: 0, executionProvider: 'cpu' },
    {
      id: 'cam',
      type: 'rtsp-in',
      url: demoClip(),
      cameraId: 'plaza',
      loop: true,
      realtime: true,
      autoStart,
      wires: [['detect']],
    },
    { id: 'detect', type: 'yolo-detect', model: 'model', classes: 'person', wires: [['track']] },
    { id: 'track', type: 'tracker', wires: [['count', 'zones']] },
    {
      id: 'count',
      type: 'line-counter',
      camera: '',
      lines: JSON.stringify(LINES),
      directory,
      wires: [['counted'], ['crossings']],
    },
    {
      id: 'zones',
      type: 'zone-monitor',
      camera: 'plaza',
      zones: JSON.stringify(ZONES),
      rules: JSON.stringify([{ zone: 'walkway', measure: 'occupancy', above: 0, forSeconds: 1 }]),
      directory,
      wires: [['zoned'], ['visits'], ['alerts']],
    },
    { id: 'counted', type: 'helper' },
    { id: 'crossings', type: 'helper' },
    { id: 'zoned', type: 'helper' },
    { id: 'visits', type: 'helper' },
    { id: 'alerts', type: 'helper' },
  ];
}

describe('rtsp-in -> yolo-detect -> tracker -> line-counter / zone-monitor on the clip', function () {
  this.timeout(150000);
  const countsDirectory = useCountsDirectory();

  it('counts people crossing the line and visiting the zone, one message each, and keeps the day over a restart', async () => {
    await loadFlow(NODES, flow(countsDirectory()));
    const counted = received<FootfallMessage>('counted');
    const crossings = received<CrossingMessage>('crossings');
    const zoned = received<ZonesMessage>('zoned');
    const visits = received<ZoneEventMessage>('visits');
    const alerts = received<{ payload: { state: string; zone: string } }>('alerts');
    await waitFor(
      () => crossings.length >= 3 && visits.some((v) => v.payload.event === 'exit'),
      120000,
      '3 crossings and a finished zone visit',
    );
    for (const c of crossings) {
      assert.equal(c.topic, 'crossing');
      assert.equal(c.payload.cameraId, 'plaza');
      assert.equal(c.payload.line, 'middle');
      assert.match(c.payload.direction, /^(in|out)$/);
      assert.ok(c.payload.trackId >= 1);
      assert.equal(new Date(c.payload.time).getTime(), c.payload.at);
    }
    const last = counted[counted.length - 1].footfall;
    assert.equal(last.cameraId, 'plaza');
    assert.equal(last.in + last.out, crossings.length);
    assert.deepEqual(last.lines.middle, { in: last.in, out: last.out });
    assert.equal(
      last.hourly.in.reduce((a, b) => a + b, 0),
      last.in,
    );
    const exit = visits.find((v) => v.payload.event === 'exit')!;
    assert.ok(exit.payload.dwellSeconds! > 0);
    const zone = zoned[zoned.length - 1].zones;
    assert.equal(zone.cameraId, 'plaza');
    assert.ok(zone.zones.walkway.visits >= 1);
    assert.ok(zone.zones.walkway.queue, 'a queue zone has queue numbers');
    assert.ok(alerts.some((a) => a.payload.state === 'raised' && a.payload.zone === 'walkway'));
    assert.deepEqual(loggedErrors(), []);

    // A restart (redeploy) takes the day back from disk.
    await helper.unload();
    const day = readdirSync(countsDirectory())[0];
    const files = readdirSync(path.join(countsDirectory(), day));
    assert.ok(
      files.some((f) => f.startsWith('plaza.footfall.')),
      files.join(', '),
    );
    const saved = JSON.parse(
      readFileSync(
        path.join(
          countsDirectory(),
          day,
          files.find((f) => f.includes('footfall'))!,
        ),
        'utf8',
      ),
    );
    const before = saved.in + saved.out;
    assert.ok(before >= crossings.length);
    await loadFlow(NODES, flow(countsDirectory()));
    const again = received<FootfallMessage>('counted');
    await waitFor(() => again.length >= 1, 60000, 'a counted frame after the restart');
    assert.ok(
      again[0].footfall.in + again[0].footfall.out >= before,
      'the counts before the restart are kept',
    );

    // reset (for this camera) empties the day.
    getNode('count').receive({ topic: 'reset', cameras: 'plaza' });
    await waitFor(() => again.length >= 5, 30000, 'frames after reset');
    const afterReset = again[again.length - 1].footfall;
    assert.ok(afterReset.in + afterReset.out <= 1, `${afterReset.in} in, ${afterReset.out} out after reset`);
  });
});
