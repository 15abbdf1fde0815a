import assert from 'node:assert/strict';
import { DEFAULT_HEAT_OPTIONS } from '../../../nodes/lib/heatmap/heat-accumulator';
import { HEATMAP_SETTINGS_RULES, parseHeatmapSettings } from '../../../nodes/lib/heatmap/heatmap-settings';

describe("parseHeatmapSettings: the heatmap node's fields", () => {
  it('gives the defaults for a node saved without its fields (an older flow)', () => {
    assert.deepEqual(parseHeatmapSettings({}), {
      heat: DEFAULT_HEAT_OPTIONS,
      alpha: 0.3,
      overlayFps: 5,
      liveView: false,
      snapshotSeconds: 1,
      backgroundSeconds: 10,
      resetDaily: true,
    });
  });

  it('reads strings as the editor sends them, and empty fields as the default', () => {
    const settings = parseHeatmapSettings({
      cellSize: '16',
      radius: '',
      overlayFps: '0',
      overlayView: 'live',
      snapshotInterval: 0,
      resetDaily: false,
    });
    assert.ok(!('error' in settings));
    assert.equal(settings.heat.cellSize, 16);
    assert.equal(settings.heat.radius, DEFAULT_HEAT_OPTIONS.radius);
    assert.equal(settings.overlayFps, 0, '0: no overlay at all');
    assert.equal(settings.liveView, true);
    assert.equal(settings.snapshotSeconds, 0);
    assert.equal(settings.resetDaily, false);
  });

  for (const [field, value] of [
    ['cellSize', 2.5],
    ['cellSize', 65],
    ['radius', 0],
    ['liveWindowMinutes', 1441],
    ['maxFrameInterval', -1],
    ['alpha', 1.5],
    ['overlayFps', 31],
    ['snapshotInterval', -1],
    ['backgroundInterval', 'often'],
  ] as const) {
    it(`refuses ${field} = ${JSON.stringify(value)} with every rule`, () => {
      assert.deepEqual(parseHeatmapSettings({ [field]: value }), { error: HEATMAP_SETTINGS_RULES });
    });
  }
});
