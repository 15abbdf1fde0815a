import sharp from 'sharp';

export interface Panel {
  title: string;
  unit: string;
  points: Array<[number, number]>;
  /** The y axis starts at 0 unless told otherwise, so a flat line looks flat. */
  yMin?: number;
}

const WIDTH = 900;
const PANEL_HEIGHT = 220;
const MARGIN = { left: 70, right: 20, top: 34, bottom: 36 };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Panels of line charts stacked vertically, one shared x axis in minutes, as a PNG (rendered by sharp). */
export async function plotPng(title: string, panels: Panel[]): Promise<Buffer> {
  const height = 40 + panels.length * PANEL_HEIGHT;
  const parts: string[] = [
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" font-family="sans-serif" font-size="16" text-anchor="middle">${escape(title)}</text>`,
  ];
  panels.forEach((panel, i) => {
    const top = 40 + i * PANEL_HEIGHT + MARGIN.top;
    const h = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
    const w = WIDTH - MARGIN.left - MARGIN.right;
    const xs = panel.points.map(([x]) => x);
    const ys = panel.points.map(([, y]) => y);
    const xMax = Math.max(1, ...xs);
    const yMin = panel.yMin ?? 0;
    const yMax = Math.max(yMin + 1e-9, ...ys) * 1.1;
    const px = (x: number) => MARGIN.left + (x / xMax) * w;
    const py = (y: number) => top + h - ((y - yMin) / (yMax - yMin)) * h;
    parts.push(
      `<text x="${MARGIN.left}" y="${top - 10}" font-family="sans-serif" font-size="13">${escape(panel.title)} (${escape(panel.unit)})</text>`,
      `<rect x="${MARGIN.left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
    );
    for (let k = 0; k <= 4; k++) {
      const y = yMin + ((yMax - yMin) * k) / 4;
      parts.push(
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/>`,
        `<text x="${MARGIN.left - 6}" y="${py(y) + 4}" font-family="sans-serif" font-size="11" text-anchor="end">${y.toFixed(y >= 100 ? 0 : 1)}</text>`,
      );
    }
    for (let k = 0; k <= 6; k++) {
      const x = (xMax * k) / 6;
      parts.push(
        `<text x="${px(x)}" y="${top + h + 16}" font-family="sans-serif" font-size="11" text-anchor="middle">${x.toFixed(xMax < 10 ? 1 : 0)} min</text>`,
      );
    }
    const path = panel.points
      .map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="#d1495b" stroke-width="2"/>`);
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}">${parts.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
