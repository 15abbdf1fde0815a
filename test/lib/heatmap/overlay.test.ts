import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { HeatGrid } from '../../../nodes/lib/heatmap/heat-grid';
import { OverlayPainter, renderHeatPng } from '../../../nodes/lib/heatmap/overlay';
import { readJpegSize } from '../../../nodes/lib/image/jpeg-splitter';
import { testTmp } from '../../../support/assets';
import { clipFrameJpeg } from '../../../support/video/clip-frame';

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i], data[i + 1], data[i + 2]];
}

describe('heat overlay on the video', () => {
  it('reuses the coloured heat layer for a second, then redraws it', async () => {
    const frame = clipFrameJpeg(300);
    const grid = new HeatGrid({ sourceWidth: 768, sourceHeight: 576, cellSize: 8 });
    const painter = new OverlayPainter(undefined, 1000);
    const empty = await painter.paint(frame, grid, 10_000);
    for (let i = 0; i < 50; i++) grid.addPerson(200, 500, 1, 30);
    const cached = await painter.paint(frame, grid, 10_500);
    assert.ok(cached.equals(empty), 'within the second: the layer drawn before');
    const redrawn = await painter.paint(frame, grid, 11_000);
    assert.ok(!redrawn.equals(empty), 'a second later: the new heat shows');
  });

  it('blends the heat over a real frame where people stood and leaves the rest as it was', async () => {
    const frame = clipFrameJpeg(300);
    const grid = new HeatGrid({ sourceWidth: 768, sourceHeight: 576, cellSize: 8 });
    for (let i = 0; i < 50; i++) grid.addPerson(200, 500, 1, 30);
    const out = await new OverlayPainter().paint(frame, grid, 0);
    assert.deepEqual(readJpegSize(out), { width: 768, height: 576 });
    mkdirSync(testTmp, { recursive: true });
    writeFileSync(path.join(testTmp, 'overlay.jpg'), out);
    const [r0, g0] = await pixel(frame, 200, 500);
    const [r1, g1] = await pixel(out, 200, 500);
    // The hot spot is dark red at alpha 0.3: 0.7 x grass + 0.3 x (128, 0, 0).
    assert.ok(r1 - r0 > 10 && g0 - g1 > 10, `before ${r0},${g0} after ${r1},${g1}`);
    const far0 = await pixel(frame, 600, 100);
    const far1 = await pixel(out, 600, 100);
    far0.forEach((v, i) =>
      assert.ok(Math.abs(v - far1[i]) < 12, 'unvisited area unchanged (JPEG noise only)'),
    );
  });

  it('renders the heat alone as a PNG of the frame size', async () => {
    const grid = new HeatGrid({ sourceWidth: 768, sourceHeight: 576, cellSize: 8 });
    grid.addPerson(400, 300, 5, 30);
    const png = await renderHeatPng(grid);
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 768, 576]);
    const [r, g, b] = await pixel(png, 400, 296);
    assert.ok(r > 100 && g < 100 && b < 100, `hot spot ${r},${g},${b}`);
    assert.deepEqual(await pixel(png, 50, 50), [0, 0, 0]);
  });
});
