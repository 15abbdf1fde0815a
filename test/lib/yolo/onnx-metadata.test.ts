import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseClassNames, parseImageSize, readOnnxMetadata } from '../../../nodes/lib/yolo/onnx-metadata';
import { projectRoot } from '../../../support/assets';

/** Protobuf bytes for a ModelProto with an ir_version, some skipped field and metadata entries. */
function tinyModel(entries: Record<string, string>): Buffer {
  const str = (field: number, text: string) => {
    const bytes = Buffer.from(text);
    return Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
  };
  const parts = [Buffer.from([0x08, 0x08]), str(2, 'producer'), Buffer.from([0x35, 1, 2, 3, 4])];
  for (const [k, v] of Object.entries(entries)) {
    const entry = Buffer.concat([str(1, k), str(2, v)]);
    parts.push(Buffer.concat([Buffer.from([(14 << 3) | 2, entry.length]), entry]));
  }
  return Buffer.concat(parts);
}

describe('ONNX model metadata', () => {
  it('reads the metadata of the real yolov8n export', () => {
    const meta = readOnnxMetadata(readFileSync(path.join(projectRoot, 'models', 'yolov8n.onnx')));
    assert.equal(meta.task, 'detect');
    const names = parseClassNames(meta.names);
    assert.equal(names.length, 80);
    assert.equal(names[0], 'person');
    assert.equal(names[79], 'toothbrush');
    assert.deepEqual(parseImageSize(meta.imgsz), { height: 640, width: 640 });
  });

  it('reads key/value entries and skips every other field', () => {
    assert.deepEqual(readOnnxMetadata(tinyModel({ names: "{0: 'shopper'}", imgsz: '[384, 640]' })), {
      names: "{0: 'shopper'}",
      imgsz: '[384, 640]',
    });
  });

  it('says a file is not ONNX rather than crashing', () => {
    assert.throws(() => readOnnxMetadata(Buffer.from([0x0f, 0xff, 0xff])), /ONNX/);
  });

  it('parses class names written as a Python dict or a JSON list', () => {
    assert.deepEqual(parseClassNames(`{0: 'person', 1: "teddy's bear", 2: 'hair drier'}`), [
      'person',
      "teddy's bear",
      'hair drier',
    ]);
    assert.deepEqual(parseClassNames('["a", "b"]'), ['a', 'b']);
    assert.deepEqual(parseClassNames(undefined), []);
    assert.deepEqual(parseImageSize('[384, 640]'), { height: 384, width: 640 });
    assert.deepEqual(parseImageSize('320'), { height: 320, width: 320 });
  });
});
