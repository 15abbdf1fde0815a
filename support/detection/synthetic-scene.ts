import type { TrackInput } from '../../nodes/lib/track/track';
import type { MotBox } from '../../nodes/lib/track/mot-metrics';
import type { Box } from '../../nodes/lib/geometry/box';

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same noise. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A person walking a straight line from `from` to `to` (foot points, px) between two times (s). */
export interface Walker {
  id: number;
  from: [number, number];
  to: [number, number];
  startS: number;
  endS: number;
  /** Box height in px (width is 0.4 of it). */
  height: number;
  /** Clothing colour: which of the 64 histogram bins dominate. */
  colourBins: number[];
}

export interface SceneOptions {
  fps: number;
  durationS: number;
  walkers: Walker[];
  /** Detections inside these x ranges are missing (a pillar, a shelf). */
  occluders?: Array<[number, number]>;
  /** Chance that a visible person is not detected in a frame. */
  missRate?: number;
  /** Box jitter as a share of the box size. */
  jitter?: number;
  /** Chance per frame of a false detection somewhere. */
  falsePositiveRate?: number;
  seed?: number;
}

export interface SceneFrame {
  frame: number;
  at: number;
  detections: TrackInput[];
}

export function histogramOf(bins: number[], rnd: () => number): number[] {
  const h = new Array<number>(64).fill(0.005);
  for (const b of bins) h[b] += 1 / bins.length;
  // Lighting and pose change the histogram a little from frame to frame.
  const noisy = h.map((v) => v * (0.85 + 0.3 * rnd()));
  const sum = noisy.reduce((a, b) => a + b, 0);
  return noisy.map((v) => v / sum);
}

export function walkerBox(w: Walker, t: number): Box | null {
  if (t < w.startS || t > w.endS) return null;
  const k = (t - w.startS) / (w.endS - w.startS);
  const fx = w.from[0] + k * (w.to[0] - w.from[0]);
  const fy = w.from[1] + k * (w.to[1] - w.from[1]);
  const width = 0.4 * w.height;
  return [fx - width / 2, fy - w.height, fx + width / 2, fy];
}

/** Renders the scene into per-frame detections (as the detector would give) and ground truth. */
export function renderScene(o: SceneOptions): { frames: SceneFrame[]; truth: MotBox[] } {
  const rnd = random(o.seed ?? 1);
  const frames: SceneFrame[] = [];
  const truth: MotBox[] = [];
  const total = Math.round(o.durationS * o.fps);
  const start = 1_700_000_000_000;
  for (let f = 0; f < total; f++) {
    const t = f / o.fps;
    const detections: TrackInput[] = [];
    for (const w of o.walkers) {
      const box = walkerBox(w, t);
      if (!box) continue;
      truth.push({ frame: f + 1, id: w.id, box });
      const cx = (box[0] + box[2]) / 2;
      if (o.occluders?.some(([x1, x2]) => cx >= x1 && cx <= x2)) continue;
      if (rnd() < (o.missRate ?? 0)) continue;
      const j = (o.jitter ?? 0) * w.height;
      const noisy: Box = [
        box[0] + (rnd() - 0.5) * j,
        box[1] + (rnd() - 0.5) * j,
        box[2] + (rnd() - 0.5) * j,
        box[3] + (rnd() - 0.5) * j,
      ];
      detections.push({
        box: noisy,
        score: 0.55 + 0.4 * rnd(),
        label: 'person',
        appearance: histogramOf(w.colourBins, rnd),
      });
    }
    if (rnd() < (o.falsePositiveRate ?? 0)) {
      const x = 50 + rnd() * 650;
      const y = 100 + rnd() * 400;
      detections.push({
        box: [x, y, x + 30, y + 70],
        score: 0.5 + 0.2 * rnd(),
        label: 'person',
        appearance: histogramOf([Math.floor(rnd() * 64)], rnd),
      });
    }
    frames.push({ frame: f + 1, at: start + Math.round(t * 1000), detections });
  }
  return { frames, truth };
}
