import assert from 'node:assert/strict';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';
import { OverlayLanes } from '../../../nodes/lib/heatmap/overlay-lanes';
import { readJpegSize } from '../../../nodes/lib/image/jpeg-splitter';
import { clipFrameJpeg } from '../../../support/video/clip-frame';

describe("OverlayLanes: every camera's heat overlay", () => {
  const frame = clipFrameJpeg(300);
  const grid = () => {
    const g = new HeatGrid({ sourceWidth: 768, sourceHeight: 576, cellSize: 8 });
    g.addPerson(200, 500, 1, 30);
    return g;
  };

  it('draws a frame of the camera with its heat, one at a time per camera, each camera on its own clock', async () => {
    const lanes = new OverlayLanes(5);
    const door = lanes.draw('door', frame, grid(), 1000);
    assert.ok(door);
    assert.equal(lanes.draw('door', frame, grid(), 1300), null, 'the last one is still drawing');
    const till = lanes.draw('till', frame, grid(), 1000);
    assert.ok(till, 'another camera is not held up');
    assert.deepEqual(readJpegSize(await door), { width: 768, height: 576 });
    await till;
    assert.equal(lanes.draw('door', frame, grid(), 1100), null, 'at most 5 a second');
    assert.ok(lanes.draw('door', frame, grid(), 1200));
  });

  it('draws nothing with 0 fps (overlays off)', () => {
    const lanes = new OverlayLanes(0);
    assert.equal(lanes.draw('door', frame, grid(), 1000), null);
  });

  it('draws nothing for a camera whose feeds report nobody watching, and again once someone does', async () => {
    const lanes = new OverlayLanes(5);
    lanes.setViewers('door', 0, 1000, 'feed-1');
    assert.equal(lanes.draw('door', frame, grid(), 1000), null);
    lanes.setViewers('door', 1, 2000, 'feed-1');
    await lanes.draw('door', frame, grid(), 2000);
  });
});
