import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { modelMetadata } from '../../../nodes/lib/model/head-cut';
import { readModelFile, writeModelFile } from '../../../nodes/lib/model/model-file';
import { describeCut, prepareCutModel } from '../../../nodes/lib/model/prepare-cut';
import { projectRoot, testTmp } from '../../../support/assets';
import { oneConv, tinyYolo } from '../../../support/model/tiny-yolo';

describe('prepare a cut model file', function () {
  this.timeout(30000);
  let dir: string;

  before(() => {
    mkdirSync(testTmp, { recursive: true });
    dir = mkdtempSync(path.join(testTmp, 'prepare-cut-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts yolov8n, checks it at 640x640 and 320x256, writes it and says what it did', async () => {
    const input = path.join(projectRoot, 'models', 'yolov8n.onnx');
    const output = path.join(dir, 'yolov8n-cut.onnx');
    const report = await prepareCutModel(input, output);
    assert.equal(modelMetadata(readModelFile(output)).head, 'levels');
    const lines = describeCut(report);
    assert.equal(lines[0], `${input} -> ${output}`);
    assert.match(lines[1], /levels: 3, strides 8, 16, 32 \(\/model\.22\/Concat_output_0, /);
    assert.match(lines[2], /channels per level: 144 = 64 box \(4 sides x 16 DFL bins\) \+ 80 classes/);
    assert.match(lines[3], /nodes: 242 -> \d+, initializers: 144 -> \d+/);
    assert.match(lines[5], /runs at 640x640: \[1, 144, 80, 80\] \[1, 144, 40, 40\] \[1, 144, 20, 20\]/);
    assert.match(lines[6], /runs at 320x256: \[1, 144, 32, 40\] \[1, 144, 16, 20\] \[1, 144, 8, 10\]/);
  });

  it('writes nothing when a model cannot be cut, and says why with the file name', async () => {
    const input = path.join(dir, 'one-conv.onnx');
    writeModelFile(input, oneConv());
    const output = path.join(dir, 'never.onnx');
    await assert.rejects(
      prepareCutModel(input, output),
      /one-conv\.onnx cannot be cut: no YOLOv8\/YOLO11 Detect head found/,
    );
    const fixed = path.join(dir, 'fixed.onnx');
    writeModelFile(fixed, tinyYolo({ resize: 'sizes' }));
    await assert.rejects(prepareCutModel(fixed, output), /fixed\.onnx cannot be cut: .*dynamic=True/);
    assert.ok(!existsSync(output));
  });
});
