import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { iou, type Box } from '../../nodes/lib/geometry/box';
import { DetectorError, type Detection, type DetectRequest } from '../../nodes/lib/yolo/detector';
import { SharedDetector } from '../../nodes/lib/yolo/shared-detector';
import { threadCpuMs } from '../../support/measure/process-cpu';
import { timePureInference } from '../../support/detection/pure-inference';
import { projectRoot, testTmp } from '../../support/assets';
import { clipFrameJpeg } from '../../support/video/clip-frame';
import { writeNonDetectorOnnx } from '../../support/detection/onnx-model';

const MODEL = path.join(projectRoot, 'models', 'yolov8n.onnx');
const PEOPLE: DetectRequest = { scoreThreshold: 0.5, iouThreshold: 0.7, classes: [0] };

/**
 * People in three frames of the demo clip, counted and boxed by eye (from frames drawn with a
 * 10-pixel grid, at 3x zoom). Frame 100 has a person half hidden behind the sign and one far away
 * at the top left; frame 500 has someone cut by the right edge, not boxed here.
 */
const BY_EYE: Record<number, Box[]> = {
  100: [
    [348, 200, 383, 275],
    [375, 178, 412, 257],
    [423, 180, 450, 258], // behind the sign
    [493, 148, 518, 220],
    [517, 152, 541, 222],
    [591, 153, 617, 233],
    [222, 58, 240, 96], // far away
  ],
  300: [
    [186, 159, 219, 235],
    [242, 159, 270, 222],
    [297, 159, 322, 230],
    [312, 210, 344, 296],
    [581, 159, 610, 236],
    [619, 160, 644, 235],
  ],
  500: [
    [305, 187, 333, 265],
    [556, 240, 592, 342],
    [570, 281, 612, 390],
    [613, 273, 641, 373],
  ],
};

function bestMatch(box: Box, detections: Detection[]): number {
  return Math.max(0, ...detections.map((d) => iou(box, d.box)));
}

describe('yolo detection with the real yolov8n on the real clip', function () {
  this.timeout(60000);
  let detector: SharedDetector;

  before(async () => {
    detector = SharedDetector.acquire(MODEL, { threads: 2, executionProvider: 'cpu' });
    await detector.ready;
  });
  after(() => detector.release());

  async function detect(jpeg: Buffer): Promise<Detection[]> {
    const client = detector.client();
    try {
      const outcome = await client.detect(jpeg, PEOPLE);
      assert.equal(outcome.kind, 'done');
      return outcome.kind === 'done' ? outcome.result.detections : [];
    } finally {
      client.close();
    }
  }

  it('reads input size, class names and layout from the model', async () => {
    const info = await detector.ready;
    assert.deepEqual([info.inputWidth, info.inputHeight, info.layout], [640, 640, 'yolov8']);
    assert.equal(info.names[0], 'person');
    assert.equal(info.executionProvider, 'cpu');
  });

  for (const [frame, people] of Object.entries(BY_EYE)) {
    it(`finds the people in frame ${frame} (count within 1, boxes on the people)`, async () => {
      const detections = await detect(clipFrameJpeg(Number(frame)));
      assert.ok(
        Math.abs(detections.length - people.length) <= 1,
        `found ${detections.length}, counted ${people.length} by eye`,
      );
      // Every detection sits on a person counted by eye...
      for (const d of detections) {
        const best = Math.max(...people.map((p) => iou(p, d.box)));
        assert.ok(best >= 0.5, `detection ${d.box} overlaps no person (best IoU ${best.toFixed(2)})`);
        assert.equal(d.label, 'person');
      }
      // ...and all but at most one person counted by eye is found.
      const found = people.filter((p) => bestMatch(p, detections) >= 0.5).length;
      assert.ok(found >= people.length - 1, `${found} of ${people.length} people found`);
    });
  }

  it('maps boxes back to the frame for non-square frames (portrait crop, wide strip)', async () => {
    const full = await detect(clipFrameJpeg(500));
    // A portrait crop (288x576) of the right part of the frame, holding the group of three.
    const portrait = await detect(clipFrameJpeg(500, 'crop=288:576:480:0'));
    // A wide strip (768x240) holding the same people, scaled down to half size.
    const strip = await detect(clipFrameJpeg(500, 'crop=768:240:0:170,scale=384:120'));
    for (const [dets, dx, dy, s] of [
      [portrait, 480, 0, 1],
      [strip, 0, 170, 0.5],
    ] as const) {
      const expected = full.filter(
        (d) => d.box[0] >= dx && d.box[1] >= dy && d.box[3] <= dy + (s === 1 ? 576 : 240),
      );
      assert.ok(expected.length >= 2);
      for (const e of expected) {
        const shifted: Box = [
          (e.box[0] - dx) * s,
          (e.box[1] - dy) * s,
          (e.box[2] - dx) * s,
          (e.box[3] - dy) * s,
        ];
        const best = bestMatch(shifted, dets as Detection[]);
        assert.ok(
          best >= 0.7,
          `person at ${e.box} found at IoU ${best.toFixed(2)} in the ${s === 1 ? 'crop' : 'strip'}`,
        );
      }
    }
  });

  it('keeps the event loop free while detecting (inference runs in a worker thread)', async () => {
    const jpegs = [100, 200, 300, 400, 500].map((n) => clipFrameJpeg(n));
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 1);
      last = now;
    }, 1);
    const client = detector.client();
    try {
      for (let i = 0; i < 10; i++) await client.detect(jpegs[i % jpegs.length], PEOPLE);
    } finally {
      clearInterval(timer);
      client.close();
    }
    lags.sort((a, b) => a - b);
    const p99 = lags[Math.floor(lags.length * 0.99)];
    // Had inference run on this thread, the timer would have fired ~10 times with ~80 ms gaps.
    assert.ok(lags.length > 300, `a 1 ms timer fired ${lags.length} times during 10 inferences`);
    assert.ok(p99 < 20, `timer lag p99 ${p99.toFixed(1)} ms`);
  });

  it('drops a waiting frame when a newer one arrives, and serves cameras in turn', async () => {
    const jpeg = clipFrameJpeg(300);
    const a = detector.client();
    const b = detector.client();
    try {
      // Camera A sends 4 frames at once: the first is taken, the second and third are replaced.
      const fromA = [1, 2, 3, 4].map(() => a.detect(jpeg, PEOPLE));
      const fromB = b.detect(jpeg, PEOPLE);
      const outcomes = await Promise.all([...fromA, fromB]);
      assert.deepEqual(
        outcomes.map((o) => o.kind),
        ['done', 'dropped', 'dropped', 'done', 'done'],
      );
      assert.equal(a.dropped, 2);
      assert.equal(b.dropped, 0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('runs two sessions side by side and hands a camera its results in frame order', async () => {
    const pool = SharedDetector.acquire(MODEL, { threads: 1, executionProvider: 'cpu', sessions: 2 });
    const a = pool.client();
    try {
      await pool.ready;
      // Three frames at once: two go to the two sessions, the third waits (nothing dropped) -
      // with one session the second would have been replaced by the third.
      const settled: number[] = [];
      const frames = [100, 300, 500];
      const outcomes = await Promise.all(
        frames.map((n) =>
          a.detect(clipFrameJpeg(n), PEOPLE).then((outcome) => {
            settled.push(n);
            return outcome;
          }),
        ),
      );
      assert.deepEqual(
        outcomes.map((o) => o.kind),
        ['done', 'done', 'done'],
      );
      assert.equal(a.dropped, 0);
      assert.deepEqual(settled, frames, 'results come back in the order the frames were sent');
      for (const [i, n] of frames.entries()) {
        const outcome = outcomes[i];
        const found = outcome.kind === 'done' ? outcome.result.detections : [];
        assert.ok(Math.abs(found.length - BY_EYE[n].length) <= 1, `frame ${n}: ${found.length} people`);
      }
      const pure = await timePureInference(pool, 4);
      assert.equal(pure.ms.length, 8, 'each session ran the model 4 times');
      assert.ok(pure.fps > 0, `pure inference ${pure.fps} inferences/s`);
      // Each session says which OS thread it runs on, and that thread did the inference: 5-6 runs
      // of yolov8n each, at least ~40 ms of CPU apiece on any CPU we know.
      const ids = pool.threadIds();
      assert.equal(ids.length, 2, 'one thread per session');
      assert.ok(
        ids.every((id) => SharedDetector.sessionThreadIds().includes(id)),
        'listed with every detector of the process',
      );
      const threads = threadCpuMs(process.pid);
      for (const id of ids) {
        const used = threads.get(id)?.ms ?? 0;
        assert.ok(used >= 150, `session thread ${id} used ${used} ms of CPU`);
      }
    } finally {
      a.close();
      await pool.release();
    }
  });

  it('says what is wrong: model file missing, not a YOLO model, input not an image', async () => {
    const missing = SharedDetector.acquire(path.join(testTmp, 'no-such-model.onnx'), {
      threads: 1,
      executionProvider: 'cpu',
    });
    await assert.rejects(
      missing.ready,
      (err: DetectorError) => err.code === 'model-missing' && /model file not found/.test(err.message),
    );
    await missing.release();

    const bogus = path.join(testTmp, 'not-a-model.onnx');
    writeFileSync(bogus, 'this is not a model');
    const notModel = SharedDetector.acquire(bogus, { threads: 1, executionProvider: 'cpu' });
    await assert.rejects(notModel.ready, (err: DetectorError) => err.code === 'not-yolo');
    await notModel.release();

    // A valid ONNX model that loads and runs, but whose output is no detector's.
    const pooling = path.join(testTmp, 'global-average-pool.onnx');
    writeNonDetectorOnnx(pooling);
    const notYolo = SharedDetector.acquire(pooling, { threads: 1, executionProvider: 'cpu' });
    await assert.rejects(
      notYolo.ready,
      (err: DetectorError) =>
        err.code === 'not-yolo' &&
        /not a YOLO detection model: output shape \[1, 3, 1, 1\]/.test(err.message),
    );
    await notYolo.release();

    const client = detector.client();
    try {
      await assert.rejects(
        client.detect(Buffer.from('not an image at all'), PEOPLE),
        (err: DetectorError) => err.code === 'not-image' && /not an image/.test(err.message),
      );
    } finally {
      client.close();
    }
  });

  it('falls back to the CPU with a clear message when CUDA is asked for but not installed', async () => {
    const cuda = SharedDetector.acquire(MODEL, { threads: 2, executionProvider: 'cuda' });
    try {
      const info = await cuda.ready;
      assert.equal(info.executionProvider, 'cpu');
      assert.match(info.providerWarning ?? '', /CUDA is not available.*running on the CPU/);
    } finally {
      await cuda.release();
    }
  });
});
