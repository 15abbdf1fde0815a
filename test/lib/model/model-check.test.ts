import assert from 'node:assert/strict';
import path from 'node:path';
import { cutDetectHead } from '../../../nodes/lib/model/head-cut';
import { checkCutModel, defaultCheckSizes, sizeText } from '../../../nodes/lib/model/model-check';
import { readModelFile } from '../../../nodes/lib/model/model-file';
import { projectRoot } from '../../../support/assets';
import { tinyYolo } from '../../../support/model/tiny-yolo';

describe('model check (the cut model in ONNX Runtime)', function () {
  this.timeout(30000);

  it('checks at the export size, then at 320x256', () => {
    assert.deepEqual(defaultCheckSizes({ width: 640, height: 640 }), [
      { width: 640, height: 640 },
      { width: 320, height: 256 },
    ]);
    assert.deepEqual(defaultCheckSizes(null)[0], { width: 640, height: 640 });
    assert.deepEqual(defaultCheckSizes({ width: 320, height: 256 })[1], { width: 256, height: 320 });
    assert.equal(sizeText({ width: 320, height: 256 }), '320x256');
  });

  it('runs the cut yolov8n at 640x640 and 320x256: [1, 144, H/s, W/s] for s = 8, 16, 32', async () => {
    const { model } = cutDetectHead(readModelFile(path.join(projectRoot, 'models', 'yolov8n.onnx')));
    const checks = await checkCutModel(model, defaultCheckSizes({ width: 640, height: 640 }));
    assert.deepEqual(
      checks.map((c) => [sizeText(c), c.outputs.map((o) => o.dims)]),
      [
        ['640x640', [8, 16, 32].map((s) => [1, 144, 640 / s, 640 / s])],
        ['320x256', [8, 16, 32].map((s) => [1, 144, 256 / s, 320 / s])],
      ],
    );
  });

  it('runs a synthetic cut at any size', async () => {
    const { model } = cutDetectHead(tinyYolo({ depthwiseClasses: true }));
    const checks = await checkCutModel(model, [
      { width: 64, height: 64 },
      { width: 96, height: 32 },
    ]);
    assert.deepEqual(
      checks[1].outputs.map((o) => o.dims),
      [
        [1, 66, 4, 12],
        [1, 66, 2, 6],
        [1, 66, 1, 3],
      ],
    );
  });

  it("says a model cannot run at other sizes than its export size, with ONNX Runtime's reason", async () => {
    // A cut whose backbone holds a Reshape to the 64x64 export's feature map (head-cut refuses to
    // make one; the check is the second line of defence).
    const fixed = tinyYolo({ fixedReshape: true, outputs: 'levels' });
    await assert.rejects(
      checkCutModel(fixed, [
        { width: 64, height: 64 },
        { width: 64, height: 32 },
      ]),
      /^Error: the model cannot run at sizes other than its export size \(it was exported for 64x64\): ONNX Runtime refused 64x32: .*Reshape.*\. Export it again with dynamic=True$/,
    );
  });

  it('refuses sizes that are not multiples of the largest stride', async () => {
    await assert.rejects(
      checkCutModel(tinyYolo({ outputs: 'levels' }), [{ width: 100, height: 64 }]),
      /cannot check at 100x64: the sides must be multiples of the largest stride, 32/,
    );
  });
});
