import sharp, { type Sharp } from 'sharp';
import { colouriseGrid, percentileScale } from './colour-map';
import type { HeatGrid } from './heat-grid';

export interface OverlayOptions {
  /** Opacity of the hottest cells over the video (the app this replaces blended at 0.3). */
  alpha: number;
  /** Percentile of the visited cells that maps to full red (see colour-map.ts). */
  percentile: number;
  /** JPEG quality of the output frame (sharp's 1..100; never mozjpeg for live video). */
  jpegQuality: number;
}

export const DEFAULT_OVERLAY: OverlayOptions = { alpha: 0.3, percentile: 99, jpegQuality: 75 };

/** The coloured heat as a raw RGBA image of the frame's size, smoothed from the coarse grid. */
function heatLayer(grid: HeatGrid, options: OverlayOptions, width: number, height: number): Sharp {
  const scale = percentileScale(grid.cells, options.percentile);
  const rgba = colouriseGrid(grid.cells, scale, Math.round(255 * options.alpha));
  return sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width: grid.cols, height: grid.rows, channels: 4 },
  })
    .resize(grid.cols * grid.cellSize, grid.rows * grid.cellSize, {
      kernel: sharp.kernel.linear,
      fit: 'fill',
    })
    .extract({ left: 0, top: 0, width, height });
}

/**
 * Blends the heat over a JPEG frame and encodes the result as JPEG. sharp does the work on
 * libuv's thread pool, so Node-RED's event loop stays free.
 */
export async function overlayHeat(
  frameJpeg: Buffer,
  grid: HeatGrid,
  options: OverlayOptions = DEFAULT_OVERLAY,
): Promise<Buffer> {
  const layer = await heatLayer(grid, options, grid.sourceWidth, grid.sourceHeight).png().toBuffer();
  return sharp(frameJpeg)
    .resize(grid.sourceWidth, grid.sourceHeight, { fit: 'fill' })
    .composite([{ input: layer, blend: 'over' }])
    .jpeg({ quality: options.jpegQuality, mozjpeg: false })
    .toBuffer();
}

/** The heat alone as a PNG of the frame's size (for saved snapshots): opaque colours on black. */
export async function renderHeatPng(
  grid: HeatGrid,
  percentile = DEFAULT_OVERLAY.percentile,
): Promise<Buffer> {
  const layer = await heatLayer(
    grid,
    { ...DEFAULT_OVERLAY, alpha: 1, percentile },
    grid.sourceWidth,
    grid.sourceHeight,
  )
    .png()
    .toBuffer();
  return sharp(layer).flatten({ background: '#000000' }).png().toBuffer();
}
