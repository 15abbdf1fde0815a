import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cutDetectHead, modelMetadata } from '../../../nodes/lib/model/head-cut';
import { decodeModel, encodeModel, readModelFile, writeModelFile } from '../../../nodes/lib/model/model-file';
import { testTmp } from '../../../support/assets';
import { tinyYolo } from '../../../support/model/tiny-yolo';

describe('model files', () => {
  let dir: string;

  before(() => {
    mkdirSync(testTmp, { recursive: true });
    dir = mkdtempSync(path.join(testTmp, 'model-file-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a model and reads the same model back, leaving no temporary file', () => {
    const { model } = cutDetectHead(tinyYolo());
    const file = path.join(dir, 'cut.onnx');
    writeModelFile(file, model);
    assert.deepEqual(readdirSync(dir), ['cut.onnx']);
    assert.deepEqual(readFileSync(file), Buffer.from(encodeModel(model)));
    const back = readModelFile(file);
    assert.equal(back.graph!.node!.length, model.graph!.node!.length);
    assert.equal(modelMetadata(back).head, 'levels');
  });

  it('replaces an existing file whole', () => {
    const file = path.join(dir, 'replaced.onnx');
    writeFileSync(file, 'old');
    writeModelFile(file, tinyYolo());
    assert.equal(readModelFile(file).graph!.name, 'tiny');
  });

  it('says a file that is not ONNX is not an ONNX model', () => {
    const text = path.join(dir, 'notes.onnx');
    writeFileSync(text, '# not a model\nJust some text that a user picked by mistake.\n');
    assert.throws(
      () => readModelFile(text),
      new RegExp(`^Error: ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not an ONNX model`),
    );
    const empty = path.join(dir, 'empty.onnx');
    writeFileSync(empty, '');
    assert.throws(() => readModelFile(empty), /is not an ONNX model \(no graph with nodes in it\)/);
    assert.throws(
      () => decodeModel(Buffer.from([0x0f, 0xff, 0xff]), 'the upload'),
      /^Error: the upload is not an ONNX model/,
    );
  });

  it('says which file it cannot read or write, and leaves no temporary file behind', () => {
    assert.throws(() => readModelFile(path.join(dir, 'missing.onnx')), /cannot read .*missing\.onnx: ENOENT/);
    const nowhere = path.join(dir, 'no-such-folder', 'cut.onnx');
    assert.throws(
      () => writeModelFile(nowhere, tinyYolo()),
      /cannot write .*no-such-folder\/cut\.onnx: ENOENT/,
    );
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
  });
});
