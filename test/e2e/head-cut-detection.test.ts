import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import sharp from '../../nodes/lib/image/sharp';
import { iou, type Box } from '../../nodes/lib/geometry/box';
import { decodeYoloOutput } from '../../nodes/lib/yolo/decode';
import type { Detection, DetectRequest } from '../../nodes/lib/yolo/detector';
import { letterboxedChwFloat, letterboxFor } from '../../nodes/lib/yolo/letterbox';
import { decodeLevels } from '../../nodes/lib/yolo/level-decode';
import { nonMaxSuppression } from '../../nodes/lib/yolo/nms';
import { SharedDetector } from '../../nodes/lib/yolo/shared-detector';
import { defaultModelPath, fullExportPath } from '../../nodes/shared/package-root';
import { clipFrameJpeg } from '../../support/video/clip-frame';

const PEOPLE: DetectRequest = { scoreThreshold: 0.5, iouThreshold: 0.7, classes: [0] };

/** A clip frame as the model input tensor (letterboxed into width x height, as the detector does). */
async function inputTensor(frame: number, width: number, height: number): Promise<ort.Tensor> {
  const lb = letterboxFor(768, 576, width, height);
  const pixels = await sharp(clipFrameJpeg(frame))
    .removeAlpha()
    .resize(lb.scaledWidth, lb.scaledHeight, { fit: 'fill', kernel: sharp.kernel.linear })
    .raw()
    .toBuffer();
  const data = letterboxedChwFloat(pixels, lb, new Float32Array(3 * width * height));
  return new ort.Tensor('float32', data, [1, 3, height, width]);
}

describe('the head-cut yolov8n (models/yolov8n-cut.onnx, written by npm run fetch:model)', function () {
  this.timeout(120000);
  before(function () {
    assert.ok(existsSync(defaultModelPath()), `${defaultModelPath()} is missing: run npm run fetch:model`);
  });

  it("gives the full export's boxes at 640x640, within 0.01 px, every class, before and after NMS", async () => {
    const options = { intraOpNumThreads: 2, graphOptimizationLevel: 'all' as const };
    const full = await ort.InferenceSession.create(fullExportPath(), options);
    const cut = await ort.InferenceSession.create(defaultModelPath(), options);
    try {
      const decode = { numClasses: 80, scoreThreshold: 0.1, classes: null };
      let compared = 0;
      for (const frame of [100, 500]) {
        const input = await inputTensor(frame, 640, 640);
        const fullOut = (await full.run({ [full.inputNames[0]]: input }))[full.outputNames[0]];
        const cutOut = await cut.run({ [cut.inputNames[0]]: input });
        const fromFull = decodeYoloOutput(fullOut.data as Float32Array, fullOut.dims, decode);
        const fromCut = decodeLevels(
          cut.outputNames.map((n) => ({ data: cutOut[n].data as Float32Array, dims: cutOut[n].dims })),
          640,
          640,
          decode,
        );
        // Both go over the anchors level by level, row by row: the same order.
        assert.equal(fromCut.length, fromFull.length, `frame ${frame}: as many boxes above 0.1`);
        fromFull.forEach((f, i) => {
          const c = fromCut[i];
          assert.equal(c.classId, f.classId);
          assert.ok(Math.abs(c.score - f.score) < 1e-5, `score ${c.score} vs ${f.score}`);
          for (let k = 0; k < 4; k++) {
            assert.ok(Math.abs(c.box[k] - f.box[k]) < 0.01, `frame ${frame}: ${c.box} vs ${f.box}`);
          }
        });
        const keptFull = nonMaxSuppression(fromFull, 0.7);
        const keptCut = nonMaxSuppression(fromCut, 0.7);
        assert.deepEqual(
          keptCut.map((d) => d.classId),
          keptFull.map((d) => d.classId),
        );
        compared += fromFull.length;
      }
      assert.ok(compared > 20, `${compared} boxes compared`);
    } finally {
      await full.release();
      await cut.release();
    }
  });

  describe('in yolo-detect, each camera at its own aspect (Input size auto: 512 while the model keeps up)', () => {
    let detector: SharedDetector;
    before(async () => {
      detector = SharedDetector.acquire(defaultModelPath(), {
        threads: 2,
        executionProvider: 'cpu',
        inputSize: 'auto',
      });
      await detector.ready;
    });
    after(() => detector.release());

    /** The frame's detections; `input` the model input it ran at (each side a multiple of 32). */
    async function detect(jpeg: Buffer, input?: [number, number]): Promise<Detection[]> {
      const client = detector.client();
      try {
        const outcome = await client.detect(jpeg, PEOPLE);
        assert.equal(outcome.kind, 'done');
        if (outcome.kind === 'done' && input) {
          assert.deepEqual([outcome.result.input.width, outcome.result.input.height], input);
        }
        return outcome.kind === 'done' ? outcome.result.detections : [];
      } finally {
        client.close();
      }
    }

    it('knows it is a head cut that takes any size, and keeps the class names', async () => {
      const info = await detector.ready;
      assert.equal(info.layout, 'levels');
      assert.equal(info.inputSize, 512);
      assert.deepEqual(info.autoInputSizes, [512, 416]);
      assert.equal(info.outputNames.length, 3);
      assert.equal(info.names[0], 'person');
    });

    it('finds the people the full export finds at 640x640, boxes on the same people', async () => {
      const reference = SharedDetector.acquire(fullExportPath(), { threads: 2, executionProvider: 'cpu' });
      const client = reference.client();
      try {
        for (const frame of [100, 300, 500]) {
          const jpeg = clipFrameJpeg(frame);
          const outcome = await client.detect(jpeg, PEOPLE);
          const expected = outcome.kind === 'done' ? outcome.result.detections : [];
          const found = await detect(jpeg, [512, 384]);
          assert.ok(
            Math.abs(found.length - expected.length) <= 1,
            `frame ${frame}: ${found.length} at 512x384, ${expected.length} at 640x640`,
          );
          const matched = expected.filter((e) => Math.max(0, ...found.map((d) => iou(e.box, d.box))) >= 0.7);
          assert.ok(
            matched.length >= expected.length - 1,
            `frame ${frame}: ${matched.length} of ${expected.length}`,
          );
        }
      } finally {
        client.close();
        await reference.release();
      }
    });

    it('maps boxes back to the frame for a portrait crop and a wide strip (inputs 256x512, 512x160)', async () => {
      // The people it is sure of in the whole frame (512x384) must come back where they are in the crops.
      const sure = (await detect(clipFrameJpeg(500), [512, 384])).filter((d) => d.score >= 0.7);
      const portrait = await detect(clipFrameJpeg(500, 'crop=288:576:480:0'), [256, 512]);
      const strip = await detect(clipFrameJpeg(500, 'crop=768:240:0:170'), [512, 160]);
      for (const [found, dx, dy, h] of [
        [portrait, 480, 0, 576],
        [strip, 0, 170, 240],
      ] as const) {
        const expected = sure.filter((d) => d.box[0] >= dx && d.box[1] >= dy && d.box[3] <= dy + h);
        assert.ok(expected.length >= 2, `${expected.length} people in the crop`);
        for (const e of expected) {
          const shifted: Box = [e.box[0] - dx, e.box[1] - dy, e.box[2] - dx, e.box[3] - dy];
          const best = Math.max(0, ...(found as Detection[]).map((d) => iou(shifted, d.box)));
          assert.ok(best >= 0.6, `person at ${e.box} found at IoU ${best.toFixed(2)}`);
        }
      }
    });
  });
});
