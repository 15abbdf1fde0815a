/**
 * Small synthetic ONNX models for the head-cut tests (onnx-proto): a YOLOv8-shaped network of a few
 * 1x1 Convs (strides 8, 16, 32, one upsampling in the neck) with a Detect head of box and class Convs
 * per level, and a few shapes a head cut must refuse. Weights are small deterministic numbers, so
 * ONNX Runtime runs every model here.
 */
import { onnx } from 'onnx-proto';

const FLOAT = 1;
const INT64 = 7;

export interface TinyYoloOptions {
  /** Input side (square), a multiple of 32. Default 64. */
  size?: number;
  /** Classes (metadata names has as many). Default 2. */
  classes?: number;
  /** Box channels per level. Default 64 (reg_max 16). */
  boxChannels?: number;
  /** The neck's upsampling: Resize with constant scales (default) or with constant sizes. */
  resize?: 'scales' | 'sizes';
  /** A Reshape of the stride-32 map to its constant export shape in the backbone. */
  fixedReshape?: boolean;
  /** The class branch as YOLO11 has it: a depthwise Conv before the last Conv. */
  depthwiseClasses?: boolean;
  /** 'head': output0 built by Reshape + Concat (an export); 'levels': the levels as outputs with
   * metadata head=levels (a cut model, as head-cut.ts writes it). */
  outputs?: 'head' | 'levels';
  /** Extra metadata (task, ...). */
  metadata?: Record<string, string>;
}

let seed = 1;
/** Deterministic small weights in [-0.05, 0.05]. */
function weights(count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out[i] = (seed / 2147483648 - 0.5) / 10;
  }
  return out;
}

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return {
    name,
    dims,
    dataType: FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, int64Data: values };
}

function valueInfo(name: string, dims: Array<number | string>): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

const INTS = 7;
const INT = 2;
function ints(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: INTS, ints: values };
}
function intAttr(name: string, value: number): onnx.IAttributeProto {
  return { name, type: INT, i: value };
}

/** A graph under construction. */
class Builder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private count = 0;

  add(opType: string, inputs: string[], attribute: onnx.IAttributeProto[] = []): string {
    const name = `/${opType}_${this.count++}`;
    const output = `${name}_output_0`;
    this.nodes.push({ name, opType, input: inputs, output: [output], attribute });
    return output;
  }

  conv(input: string, inChannels: number, outChannels: number, stride = 1, group = 1): string {
    const w = `w${this.count}`;
    const b = `b${this.count}`;
    this.initializers.push(
      floatTensor(w, [outChannels, inChannels / group, 1, 1], weights((outChannels * inChannels) / group)),
    );
    this.initializers.push(floatTensor(b, [outChannels], weights(outChannels)));
    return this.add(
      'Conv',
      [input, w, b],
      [ints('kernel_shape', [1, 1]), ints('strides', [stride, stride]), intAttr('group', group)],
    );
  }

  constant(name: string, values: number[], float = false): string {
    this.initializers.push(
      float ? floatTensor(name, [values.length], new Float32Array(values)) : int64Tensor(name, values),
    );
    return name;
  }
}

function modelOf(graph: onnx.IGraphProto, metadata: Record<string, string>): onnx.ModelProto {
  return onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'tiny-yolo',
    producerVersion: '1',
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
}

/** A YOLOv8-shaped detection export (or its cut, with outputs: 'levels'). */
export function tinyYolo(options: TinyYoloOptions = {}): onnx.ModelProto {
  seed = 1;
  const size = options.size ?? 64;
  const nc = options.classes ?? 2;
  const box = options.boxChannels ?? 64;
  const c = 8;
  const g = new Builder();
  const p3 = g.conv('images', 3, c, 8);
  const p4 = g.conv(p3, c, c, 2);
  let p5 = g.conv(p4, c, c, 2);
  if (options.fixedReshape) {
    const flat = g.add('Reshape', [p5, g.constant('flat_shape', [1, -1])]);
    p5 = g.add('Reshape', [flat, g.constant('fixed_shape', [1, c, size / 32, size / 32])]);
  }
  const up =
    options.resize === 'sizes'
      ? g.add('Resize', [p5, '', '', g.constant('up_sizes', [1, c, size / 16, size / 16])], [])
      : g.add('Resize', [p5, '', g.constant('up_scales', [1, 1, 2, 2], true)], []);
  const n4 = g.add('Add', [p4, up]);
  const levels = [p3, n4, p5].map((x) => {
    const boxOut = g.conv(g.conv(x, c, c), c, box);
    const clsIn = options.depthwiseClasses ? g.conv(g.conv(x, c, c, 1, c), c, c) : g.conv(x, c, c);
    return g.add('Concat', [boxOut, g.conv(clsIn, c, nc)], [intAttr('axis', 1)]);
  });
  const metadata: Record<string, string> = {
    description: 'tiny synthetic YOLO',
    stride: '32',
    task: 'detect',
    imgsz: `[${size}, ${size}]`,
    names: `{${Array.from({ length: nc }, (_, i) => `${i}: 'class ${i}'`).join(', ')}}`,
    ...options.metadata,
  };
  if (options.outputs === 'levels') {
    return modelOf(
      {
        name: 'tiny',
        node: g.nodes,
        initializer: g.initializers,
        input: [valueInfo('images', [1, 3, 'height', 'width'])],
        output: levels.map((l, i) => valueInfo(l, [1, box + nc, `height/${8 << i}`, `width/${8 << i}`])),
      },
      { ...metadata, head: 'levels' },
    );
  }
  const shape = g.constant('head_shape', [1, box + nc, -1]);
  const flat = levels.map((l) => g.add('Reshape', [l, shape]));
  const joined = g.add('Concat', flat, [intAttr('axis', 2)]);
  g.nodes.push({ name: '/Sigmoid_out', opType: 'Sigmoid', input: [joined], output: ['output0'] });
  const anchors = (size / 8) ** 2 + (size / 16) ** 2 + (size / 32) ** 2;
  return modelOf(
    {
      name: 'tiny',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('images', [1, 3, size, size])],
      output: [valueInfo('output0', [1, box + nc, anchors])],
    },
    metadata,
  );
}

/** One Conv, no Detect head: input x [1, 3, 8, 8] -> y [1, 4, 8, 8]. */
export function oneConv(): onnx.ModelProto {
  const g = new Builder();
  const y = g.conv('x', 3, 4);
  g.nodes[0].output = ['y'];
  void y;
  return modelOf(
    {
      name: 'one-conv',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('x', [1, 3, 8, 8])],
      output: [valueInfo('y', [1, 4, 8, 8])],
    },
    {},
  );
}

/** An anchor-based head as YOLOv5 exports it: Conv -> Reshape [1, 3, 5 + classes, h, w] -> ... -> [1, N, 5 + classes]. */
export function anchorBased(): onnx.ModelProto {
  const g = new Builder();
  const p = g.conv('images', 3, 3 * 7, 8);
  const r = g.add('Reshape', [p, g.constant('anchor_shape', [1, 3, 7, 8, 8])]);
  const t = g.add('Transpose', [r], [ints('perm', [0, 1, 3, 4, 2])]);
  g.nodes.push({
    name: '/out',
    opType: 'Reshape',
    input: [t, g.constant('out_shape', [1, -1, 7])],
    output: ['output0'],
  });
  return modelOf(
    {
      name: 'v5',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('images', [1, 3, 64, 64])],
      output: [valueInfo('output0', [1, 192, 7])],
    },
    { names: "{0: 'a', 1: 'b'}", task: 'detect' },
  );
}

/** An end-to-end export with NonMaxSuppression inside. */
export function withNms(): onnx.ModelProto {
  const g = new Builder();
  const p = g.conv('images', 3, 6, 8);
  const boxes = g.add('Reshape', [p, g.constant('boxes_shape', [1, -1, 4])]);
  const scores = g.add('Reshape', [p, g.constant('scores_shape', [1, 1, -1])]);
  g.nodes.push({ name: '/nms', opType: 'NonMaxSuppression', input: [boxes, scores], output: ['output0'] });
  return modelOf(
    {
      name: 'nms',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('images', [1, 3, 64, 64])],
      output: [
        {
          name: 'output0',
          type: { tensorType: { elemType: INT64, shape: { dim: [{ dimParam: 'n' }, { dimValue: 3 }] } } },
        },
      ],
    },
    { names: "{0: 'a'}", task: 'detect' },
  );
}
