/**
 * Where people spent time, as person-seconds per cell of a grid laid over the camera image. The
 * grid is coarser than the frame (a cell is `cellSize` source pixels square), so adding a person
 * costs the kernel's cells only: it grows with the number of people, not with the frame size.
 * Only the float accumulator lives here; colouring and statistics read it.
 */
export interface HeatGridShape {
  /** Source frame size in pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /** Source pixels per cell side. */
  cellSize: number;
}

export class HeatGrid {
  readonly cols: number;
  readonly rows: number;
  readonly cellSize: number;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Person-seconds per cell, row-major: cells[row * cols + col]. */
  readonly cells: Float32Array;

  constructor(shape: HeatGridShape, cells?: Float32Array) {
    if (!(shape.cellSize >= 1) || !(shape.sourceWidth >= 1) || !(shape.sourceHeight >= 1)) {
      throw new Error('heat grid needs a positive frame size and cell size');
    }
    this.cellSize = shape.cellSize;
    this.sourceWidth = shape.sourceWidth;
    this.sourceHeight = shape.sourceHeight;
    this.cols = Math.ceil(shape.sourceWidth / shape.cellSize);
    this.rows = Math.ceil(shape.sourceHeight / shape.cellSize);
    if (cells && cells.length !== this.cols * this.rows) {
      throw new Error(`heat data has ${cells.length} cells, the grid ${this.cols}x${this.rows}`);
    }
    this.cells = cells ?? new Float32Array(this.cols * this.rows);
  }

  /** Person-seconds in the whole grid. */
  get total(): number {
    let sum = 0;
    for (let i = 0; i < this.cells.length; i++) sum += this.cells[i];
    return sum;
  }

  /**
   * Adds `seconds` of one person standing at (x, y) source pixels, spread as a Gaussian of the
   * given radius (source pixels; sigma is half of it, the kernel is cut at the radius). The weights
   * are normalised over the cells inside the grid, so exactly `seconds` is added however close to
   * the border the person stands.
   */
  addPerson(x: number, y: number, seconds: number, radius: number): void {
    if (!(seconds > 0) || !Number.isFinite(x) || !Number.isFinite(y)) return;
    const cx = x / this.cellSize;
    const cy = y / this.cellSize;
    const r = Math.max(0.5, radius / this.cellSize);
    const sigma2 = 2 * (r / 2) ** 2;
    const c0 = Math.max(0, Math.floor(cx - r));
    const c1 = Math.min(this.cols - 1, Math.ceil(cx + r));
    const r0 = Math.max(0, Math.floor(cy - r));
    const r1 = Math.min(this.rows - 1, Math.ceil(cy + r));
    if (c0 > c1 || r0 > r1) return; // outside the image
    let sum = 0;
    const weights: number[] = [];
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        // Distance from the person to the cell's centre, in cells.
        const d2 = (col + 0.5 - cx) ** 2 + (row + 0.5 - cy) ** 2;
        const w = d2 <= r * r ? Math.exp(-d2 / sigma2) : 0;
        weights.push(w);
        sum += w;
      }
    }
    if (sum === 0) {
      // The radius is smaller than a cell: everything goes to the cell the person stands in.
      const col = Math.min(this.cols - 1, Math.max(0, Math.floor(cx)));
      const row = Math.min(this.rows - 1, Math.max(0, Math.floor(cy)));
      this.cells[row * this.cols + col] += seconds;
      return;
    }
    let k = 0;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        this.cells[row * this.cols + col] += (weights[k++] / sum) * seconds;
      }
    }
  }

  reset(): void {
    this.cells.fill(0);
  }

  /** Adds another grid of the same shape (e.g. summing per-minute grids into a window). */
  addGrid(other: HeatGrid, factor = 1): void {
    if (other.cols !== this.cols || other.rows !== this.rows) throw new Error('heat grids differ in shape');
    for (let i = 0; i < this.cells.length; i++) this.cells[i] += other.cells[i] * factor;
  }
}
