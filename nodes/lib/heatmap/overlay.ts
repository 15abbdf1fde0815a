import type { RawPicture } from '../image/raw-picture';
import sharp from '../image/sharp';
import { colouriseDifference, colouriseGrid, percentileScale } from './colour-map';
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

interface RawLayer {
  input: Buffer;
  raw: { width: number; height: number; channels: 4 };
}

/**
 * The coloured heat as raw RGBA pixels of the frame's size, smoothed from the coarse grid. Kept raw
 * (no PNG encode and decode) since it is made for every overlay frame.
 */
async function heatLayer(grid: HeatGrid, options: OverlayOptions): Promise<RawLayer> {
  const scale = percentileScale(grid.cells, options.percentile);
  const rgba = colouriseGrid(grid.cells, scale, Math.round(255 * options.alpha));
  return sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width: grid.cols, height: grid.rows, channels: 4 },
  })
    .resize(grid.cols * grid.cellSize, grid.rows * grid.cellSize, {
      kernel: sharp.kernel.linear,
      fit: 'fill',
    })
    .extract({ left: 0, top: 0, width: grid.sourceWidth, height: grid.sourceHeight })
    .raw()
    .toBuffer()
    .then((input) => ({ input, raw: { width: grid.sourceWidth, height: grid.sourceHeight, channels: 4 } }));
}

/**
 * Blends the heat over JPEG frames of one camera and encodes them as JPEG (sharp works on libuv's
 * thread pool, so Node-RED's event loop stays free), reusing the coloured heat layer for `maxLayerAgeMs`: heat builds up over
 * minutes, so redrawing the layer for every overlay frame (a full-frame resize) buys nothing visible
 * and costs CPU that inference needs.
 */
export class OverlayPainter {
  private layer: { grid: HeatGrid; at: number; raw: Promise<RawLayer> } | null = null;

  constructor(
    private readonly options: OverlayOptions = DEFAULT_OVERLAY,
    private readonly maxLayerAgeMs = 1000,
  ) {}

  async paint(frameJpeg: Buffer, grid: HeatGrid, now: number): Promise<Buffer> {
    const cached = this.layer;
    if (!cached || cached.grid !== grid || now - cached.at >= this.maxLayerAgeMs || now < cached.at) {
      this.layer = { grid, at: now, raw: heatLayer(grid, this.options) };
    }
    const layer = await this.layer!.raw;
    return sharp(frameJpeg)
      .resize(grid.sourceWidth, grid.sourceHeight, { fit: 'fill' })
      .composite([{ ...layer, blend: 'over' }])
      .jpeg({ quality: this.options.jpegQuality, mozjpeg: false })
      .toBuffer();
  }
}

/** The heat alone as a PNG of the frame's size (for saved snapshots): opaque colours on black. */
export async function renderHeatPng(
  grid: HeatGrid,
  percentile = DEFAULT_OVERLAY.percentile,
): Promise<Buffer> {
  const layer = await heatLayer(grid, { ...DEFAULT_OVERLAY, alpha: 1, percentile });
  return sharp(layer.input, { raw: layer.raw }).flatten({ background: '#000000' }).png().toBuffer();
}

/**
 * Heat drawn over a picture of the view as PNG: the heat (or, with `minus`, the difference of two
 * heats in a diverging map) blended at `alpha` over the background, else over dark grey.
 */
export async function renderHeatOverPng(
  grid: HeatGrid,
  background: RawPicture | null,
  options: { alpha?: number; percentile?: number; minus?: HeatGrid } = {},
): Promise<Buffer> {
  const alpha = options.alpha ?? 0.6;
  const percentile = options.percentile ?? DEFAULT_OVERLAY.percentile;
  let rgba: Uint8Array;
  if (options.minus) {
    const diff = new Float32Array(grid.cells.length);
    const magnitude = new Float32Array(grid.cells.length);
    for (let i = 0; i < diff.length; i++) {
      diff[i] = grid.cells[i] - options.minus.cells[i];
      magnitude[i] = Math.abs(diff[i]);
    }
    rgba = colouriseDifference(diff, percentileScale(magnitude, percentile), Math.round(255 * alpha));
  } else {
    rgba = colouriseGrid(grid.cells, percentileScale(grid.cells, percentile), Math.round(255 * alpha));
  }
  const layer = await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width: grid.cols, height: grid.rows, channels: 4 },
  })
    .resize(grid.cols * grid.cellSize, grid.rows * grid.cellSize, {
      kernel: sharp.kernel.linear,
      fit: 'fill',
    })
    .extract({ left: 0, top: 0, width: grid.sourceWidth, height: grid.sourceHeight })
    .raw()
    .toBuffer();
  const base = background
    ? sharp(background.pixels, {
        raw: { width: background.width, height: background.height, channels: 3 },
      }).resize(grid.sourceWidth, grid.sourceHeight, { fit: 'fill' })
    : sharp({
        create: { width: grid.sourceWidth, height: grid.sourceHeight, channels: 3, background: '#303030' },
      });
  // The resize runs first, as its own pipeline: sharp composites before resizing otherwise.
  const picture = await base.raw().toBuffer();
  return sharp(picture, { raw: { width: grid.sourceWidth, height: grid.sourceHeight, channels: 3 } })
    .composite([
      {
        input: layer,
        raw: { width: grid.sourceWidth, height: grid.sourceHeight, channels: 4 },
        blend: 'over',
      },
    ])
    .png()
    .toBuffer();
}
