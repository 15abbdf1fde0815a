import assert from 'node:assert/strict';
import { DEMO_RULES, demoAreasAsFractions } from '../../../flows/counting-flow-code';
import { functionNode } from './function-node';

describe('function demo-areas (example 03)', () => {
  it("sends the demo clip's areas (DEMO_AREAS as fractions) and alert rule while no camera is set", () => {
    const f = functionNode('demo-areas');
    const out = f.run({ topic: 'areas' }) as {
      topic: string;
      payload: { lines: unknown; zones: unknown };
      rules: unknown;
    };
    const { lines, zones } = demoAreasAsFractions();
    assert.equal(out.topic, 'areas');
    assert.deepEqual(out.payload, { lines: JSON.parse(lines), zones: JSON.parse(zones) });
    assert.deepEqual(out.rules, DEMO_RULES);
    const clip = functionNode('demo-areas', { env: { CAMERA_URL: '/media/vtest.avi' } });
    assert.ok(clip.run({}), 'npm start names the clip in CAMERA_URL');
  });

  it('sends nothing once a camera is set', () => {
    const cameras: Array<Record<string, string>> = [
      { CAMERA_URL: 'rtsp://cam/stream' },
      { CAMERA_URLS: 'rtsp://a rtsp://b' },
    ];
    for (const env of cameras) {
      const f = functionNode('demo-areas', { env });
      assert.equal(f.run({}), null);
      assert.equal((f.statuses[0] as { fill: string }).fill, 'grey');
    }
  });
});
