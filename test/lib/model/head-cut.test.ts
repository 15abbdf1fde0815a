import assert from 'node:assert/strict';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { onnx } from 'onnx-proto';
import {
  assertCuttable,
  classCountOf,
  cutDetectHead,
  cutModelLevels,
  findDetectHead,
  HeadCutError,
  modelMetadata,
  withGraphOutputs,
  type HeadCut,
} from '../../../nodes/lib/model/head-cut';
import { encodeModel, readModelFile } from '../../../nodes/lib/model/model-file';
import { projectRoot } from '../../../support/assets';
import { anchorBased, oneConv, tinyYolo, withNms } from '../../../support/model/tiny-yolo';

const LEVELS = ['/model.22/Concat_output_0', '/model.22/Concat_1_output_0', '/model.22/Concat_2_output_0'];

function dims(info: onnx.IValueInfoProto | undefined): Array<number | string> {
  return (info?.type?.tensorType?.shape?.dim ?? []).map((d) =>
    d.dimParam ? d.dimParam : Number(d.dimValue),
  );
}

/** A deterministic image in 0..1, [1, 3, height, width]. */
function image(width: number, height: number): ort.Tensor {
  const data = new Float32Array(3 * width * height);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761) % 4093) / 4092;
  return new ort.Tensor('float32', data, [1, 3, height, width]);
}

const SESSION = { intraOpNumThreads: 1, interOpNumThreads: 1 };

describe('head cut', () => {
  describe('of the real yolov8n export', function () {
    this.timeout(30000);
    let full: onnx.ModelProto;
    let cut: HeadCut;

    before(() => {
      full = readModelFile(path.join(projectRoot, 'models', 'yolov8n.onnx'));
      cut = cutDetectHead(full);
    });

    it('finds the three levels by structure, by increasing stride, with 144 channels', () => {
      assert.deepEqual(
        cut.head.levels.map((l) => [l.tensor, l.channels, l.stride]),
        LEVELS.map((t, i) => [t, 144, 8 << i]),
      );
      assert.equal(cut.head.classCount, 80);
      assert.equal(cut.head.input, 'images');
      assert.deepEqual(cut.head.exportSize, { width: 640, height: 640 });
    });

    it('outputs the levels, takes any height and width, and drops the stale shapes', () => {
      const graph = cut.model.graph!;
      assert.deepEqual(
        graph.output!.map((o) => [o.name, o.type?.tensorType?.elemType, dims(o)]),
        LEVELS.map((t, i) => [t, 1, [1, 144, `height/${8 << i}`, `width/${8 << i}`]]),
      );
      assert.deepEqual(
        graph.input!.map((i) => [i.name, dims(i)]),
        [['images', [1, 3, 'height', 'width']]],
      );
      assert.deepEqual(graph.valueInfo, []);
      // The full export still says 640x640: the cut changed nothing of it.
      assert.deepEqual(dims(full.graph!.input![0]), [1, 3, 640, 640]);
    });

    it('keeps only what the levels need: fewer nodes and initializers, no decoding left', () => {
      assert.equal(cut.nodesBefore, full.graph!.node!.length);
      assert.equal(cut.nodesAfter, cut.model.graph!.node!.length);
      assert.ok(cut.nodesAfter < cut.nodesBefore, `${cut.nodesAfter} < ${cut.nodesBefore}`);
      assert.ok(cut.initializersAfter < cut.initializersBefore);
      const ops = new Set(cut.model.graph!.node!.map((n) => n.opType));
      for (const op of ['Softmax', 'Reshape', 'Transpose', 'Div']) assert.ok(!ops.has(op), `no ${op} left`);
      const produced = new Set(cut.model.graph!.node!.flatMap((n) => n.output ?? []));
      const known = new Set([...produced, 'images', ...cut.model.graph!.initializer!.map((t) => t.name)]);
      for (const n of cut.model.graph!.node!) {
        for (const input of n.input ?? []) if (input) assert.ok(known.has(input), `${n.name} reads ${input}`);
      }
    });

    it('keeps ir_version, opset, producer and every metadata entry, and adds head=levels and a doc_string', () => {
      const model = cut.model;
      assert.equal(Number(model.irVersion), 8);
      assert.deepEqual(
        model.opsetImport.map((o) => [o.domain, Number(o.version)]),
        [['', 17]],
      );
      assert.equal(model.producerName, 'pytorch');
      assert.equal(model.producerVersion, full.producerVersion);
      const before = full.metadataProps.map((p) => [p.key, p.value]);
      assert.deepEqual(
        before.map(([k]) => k),
        ['description', 'author', 'license', 'date', 'version', 'stride', 'task', 'batch', 'imgsz', 'names'],
      );
      assert.deepEqual(
        model.metadataProps.map((p) => [p.key, p.value]),
        [...before, ['head', 'levels']],
      );
      assert.match(model.docString, /channels 0\.\.63: the DFL box distances, 4 sides .* x 16 bins/i);
      assert.match(model.docString, /channels 64\.\.143: one logit per class/);
    });

    it('says what a cut model holds (cutModelLevels) and refuses to cut it again', () => {
      assert.deepEqual(cutModelLevels(cut.model), {
        levels: LEVELS.map((t, i) => ({ tensor: t, channels: 144, stride: 8 << i })),
        classCount: 80,
      });
      assert.throws(() => cutDetectHead(cut.model), /already cut/);
    });

    it('runs in ONNX Runtime at 640x640 with the same level tensors as the full export, and at 512x384 and 320x256', async () => {
      const input = image(640, 640);
      const fullSession = await ort.InferenceSession.create(
        encodeModel(withGraphOutputs(full, LEVELS)),
        SESSION,
      );
      let reference: ort.InferenceSession.OnnxValueMapType;
      try {
        reference = await fullSession.run({ images: input }, LEVELS);
      } finally {
        await fullSession.release();
      }
      const session = await ort.InferenceSession.create(encodeModel(cut.model), SESSION);
      try {
        assert.deepEqual(session.outputNames, LEVELS);
        const got = await session.run({ images: input });
        for (const [i, name] of LEVELS.entries()) {
          const side = 640 / (8 << i);
          assert.deepEqual(got[name].dims, [1, 144, side, side]);
          assert.deepEqual(reference[name].dims, [1, 144, side, side]);
          const a = got[name].data as Float32Array;
          const b = reference[name].data as Float32Array;
          let worst = 0;
          for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]));
          assert.ok(worst <= 1e-4, `${name}: largest difference ${worst}`);
        }
        for (const [width, height] of [
          [512, 384],
          [320, 256],
        ]) {
          const out = await session.run({ images: image(width, height) });
          assert.deepEqual(
            LEVELS.map((name) => out[name].dims),
            [8, 16, 32].map((s) => [1, 144, height / s, width / s]),
            `${width}x${height}`,
          );
        }
      } finally {
        await session.release();
      }
    });
  });

  describe('of synthetic models', () => {
    it('cuts a YOLOv8-shaped export and a YOLO11-shaped one (depthwise class branch) alike', () => {
      for (const depthwiseClasses of [false, true]) {
        const { head, model } = cutDetectHead(tinyYolo({ depthwiseClasses }));
        assert.deepEqual(
          head.levels.map((l) => [l.channels, l.stride]),
          [
            [66, 8],
            [66, 16],
            [66, 32],
          ],
        );
        assert.equal(head.classCount, 2);
        assert.equal(model.graph!.output!.length, 3);
        assert.equal(modelMetadata(model).head, 'levels');
      }
    });

    it('says there is no Detect head in a one-Conv graph', () => {
      assert.throws(
        () => cutDetectHead(oneConv()),
        (err: Error) =>
          err instanceof HeadCutError &&
          /no YOLOv8\/YOLO11 Detect head found: the graph has no per-stride Concat on axis 1 of a box Conv and a class Conv/.test(
            err.message,
          ),
      );
    });

    it('names the layout of an anchor-based (YOLOv5) and of an end-to-end (NMS inside) export', () => {
      assert.throws(() => assertCuttable(anchorBased()), /anchor-based export \(YOLOv5\/YOLOv7 style/);
      assert.throws(
        () => assertCuttable(withNms()),
        /end-to-end export with NMS inside the graph.*nms=False/,
      );
    });

    it('refuses a network whose upsampling has fixed sizes: export with dynamic=True', () => {
      assert.throws(
        () => findDetectHead(tinyYolo({ resize: 'sizes' })),
        /fixed an upsampling to \[1, 8, 4, 4\] \(Resize ".*" with sizes instead of scales\), so the network runs only at its 64x64 input size: export it again with dynamic=True/,
      );
    });

    it('refuses a Reshape to the export size in the backbone: export with dynamic=True', () => {
      assert.throws(
        () => findDetectHead(tinyYolo({ fixedReshape: true })),
        /fixed a Reshape to the 64x64 input's feature map \(Reshape ".*" to \[1, 8, 2, 2\]\).*dynamic=True/,
      );
    });

    it('refuses another box regression than 4 x 16 DFL bins', () => {
      assert.throws(
        () => findDetectHead(tinyYolo({ boxChannels: 4 })),
        /has 6 channels and the model has 2 classes, which leaves 4 box channels; the detector decodes 64 \(4 sides x 16 DFL bins, reg_max 16\): the export's box regression has 1 bins per side/,
      );
    });

    it('refuses a model without a graph and a model of another task', () => {
      assert.throws(() => findDetectHead({}), /there is no ONNX graph in it/);
      assert.throws(
        () => findDetectHead(tinyYolo({ metadata: { task: 'segment' } })),
        /"segment" model; only detection models/,
      );
    });
  });

  it('counts class names as Ultralytics writes them (a Python dict) or as a JSON list', () => {
    assert.equal(classCountOf("{0: 'person', 1: \"it's\", 2: 'a, b'}"), 3);
    assert.equal(classCountOf('["a", "b"]'), 2);
    assert.equal(classCountOf(undefined), 0);
    assert.equal(classCountOf('nonsense'), 0);
  });
});
