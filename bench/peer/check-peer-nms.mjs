#!/usr/bin/env node
// Side check for the peer comparison: how much does the peer's non-maximum suppression change its person
// counts? The peer (good-object-detection) computes a box intersection as (x2 - x1) * (y2 - y1) without
// clamping at 0, so two boxes apart on both axes get a positive "intersection" and, when the gaps are
// about as large as the boxes, an IoU >= 0.7: one of them is dropped although they do not overlap.
//
// This script runs the same model file the peer ships, with the peer's preprocessing (sharp resize to
// 640x640 "fill", RGB / 255, CHW), its score rule (best of 80 classes >= threshold) and its
// class-agnostic NMS at IoU 0.7, once with the peer's intersection and once with a clamped one, outside
// Node-RED, and prints the person counts per frame for both.
//
//   node bench/peer/check-peer-nms.mjs [--frames 20] [--threshold 0.5] [--model yolov8n]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { installPeer, PEER_DIR, REPO_ROOT } from './install-peer.mjs';

const require = createRequire(import.meta.url);
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const FRAMES = Number(arg('--frames', 20));
const THRESHOLD = Number(arg('--threshold', 0.5));
const MODEL = arg('--model', 'yolov8n');

installPeer();
const sharp = require(require.resolve('sharp', { paths: [PEER_DIR] }));
const ort = require(require.resolve('onnxruntime-node', { paths: [PEER_DIR] }));

const dir = mkdtempSync(path.join(os.tmpdir(), 'peernms-'));
try {
  const ff = spawnSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    path.join(REPO_ROOT, 'media', 'vtest.avi'),
    '-frames:v',
    String(FRAMES),
    '-q:v',
    '5',
    path.join(dir, '%03d.jpg'),
  ]);
  if (ff.status !== 0) throw new Error(`ffmpeg failed: ${ff.stderr}`);
  const session = await ort.InferenceSession.create(path.join(PEER_DIR, 'model', `${MODEL}.onnx`));

  const inter = (a, b, clamp) => {
    const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    return clamp ? Math.max(0, w) * Math.max(0, h) : w * h;
  };
  const iou = (a, b, clamp) => {
    const i = inter(a, b, clamp);
    return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
  };
  const nms = (boxes, clamp) => {
    let rest = [...boxes].sort((p, q) => q[5] - p[5]);
    const keep = [];
    while (rest.length) {
      const best = rest[0];
      keep.push(best);
      rest = rest.filter((b) => iou(best, b, clamp) < 0.7);
    }
    return keep;
  };

  const rows = [];
  for (const f of readdirSync(dir).sort()) {
    const img = sharp(readFileSync(path.join(dir, f)));
    const { width, height } = await img.metadata();
    const px = await img.removeAlpha().resize({ width: 640, height: 640, fit: 'fill' }).raw().toBuffer();
    const n = 640 * 640;
    const input = new Float32Array(3 * n);
    for (let i = 0, p = 0; p < px.length; i++, p += 3) {
      input[i] = px[p] / 255;
      input[n + i] = px[p + 1] / 255;
      input[2 * n + i] = px[p + 2] / 255;
    }
    const out = (await session.run({ images: new ort.Tensor(input, [1, 3, 640, 640]) })).output0.data;
    const boxes = [];
    for (let a = 0; a < 8400; a++) {
      let cls = 0;
      let prob = 0;
      for (let c = 0; c < 80; c++) {
        const s = out[8400 * (c + 4) + a];
        if (s > prob) [cls, prob] = [c, s];
      }
      if (prob < THRESHOLD) continue;
      const [xc, yc, w, h] = [out[a], out[8400 + a], out[2 * 8400 + a], out[3 * 8400 + a]];
      boxes.push([
        ((xc - w / 2) / 640) * width,
        ((yc - h / 2) / 640) * height,
        ((xc + w / 2) / 640) * width,
        ((yc + h / 2) / 640) * height,
        cls,
        prob,
      ]);
    }
    const persons = (list) => list.filter((b) => b[4] === 0).length;
    rows.push({ frame: f, peerNms: persons(nms(boxes, false)), clampedNms: persons(nms(boxes, true)) });
  }
  await session.release?.();
  for (const r of rows)
    console.log(
      `${r.frame}  persons with the peer's NMS: ${r.peerNms}  with clamped intersection: ${r.clampedNms}`,
    );
  console.log(
    JSON.stringify({ peerNms: rows.map((r) => r.peerNms), clampedNms: rows.map((r) => r.clampedNms) }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
