/**
 * The "head cut" of an Ultralytics YOLO detection export (YOLOv8, YOLO11): the network up to the
 * Detect head's per-level tensors, before the head decodes boxes for the anchors of one input size.
 * Everything before those tensors is convolutional, so the cut model runs at any input whose sides are
 * multiples of the largest stride; the caller decodes the levels itself (DFL box distances, class
 * sigmoid, the cell grid of each stride).
 *
 * Pure: a decoded ModelProto in, a new ModelProto out (it shares the kept nodes and weight tensors
 * with the one given, and changes neither). The levels are found by the graph's structure, not by node
 * names. A model that cannot be cut throws a HeadCutError that says why, in words for the user.
 */
import { onnx } from 'onnx-proto';
// What the detector decodes (yolo/level-decode.ts) is what a cut must give it.
import { BOX_CHANNELS, DFL_BINS } from '../yolo/level-decode';
/** The metadata entry a cut model carries: `head` = 'levels'. */
export const HEAD_METADATA = { key: 'head', value: 'levels' } as const;

/** One per-stride output of the Detect head. */
export interface HeadLevel {
  /** The tensor's name: in the export, a Concat on axis 1 of the box Conv and the class Conv. */
  tensor: string;
  /** BOX_CHANNELS box channels + one logit per class. */
  channels: number;
  /** Input pixels per cell of this level (8, 16, 32 for YOLOv8n). */
  stride: number;
}

/** What findDetectHead found in an export. */
export interface DetectHead {
  /** Increasing stride (as the export has them, in graph order). */
  levels: HeadLevel[];
  /** Classes: entries of the metadata `names`, else the class Conv's channels. */
  classCount: number;
  /** The image input's name. */
  input: string;
  /** The input size the export was made for (fixed input dims, else metadata imgsz); null if neither. */
  exportSize: { width: number; height: number } | null;
}

/** The result of cutDetectHead. */
export interface HeadCut {
  model: onnx.ModelProto;
  head: DetectHead;
  nodesBefore: number;
  nodesAfter: number;
  initializersBefore: number;
  initializersAfter: number;
}

/** Why a model cannot be cut; the message is for the user. */
export class HeadCutError extends Error {
  override name = 'HeadCutError';
}

type Int64 = number | { toNumber(): number };

function int(value: Int64 | null | undefined, fallback = 0): number {
  if (value === null || value === undefined) return fallback;
  return typeof value === 'number' ? value : value.toNumber();
}

const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;

/** The model's metadata_props as a record (the last entry of a repeated key wins). */
export function modelMetadata(model: onnx.IModelProto): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) if (p.key) out[p.key] = p.value ?? '';
  return out;
}

/**
 * How many classes the metadata `names` lists: Ultralytics writes a Python dict (`{0: 'person', ...}`),
 * some tools a JSON list. 0 when absent or unreadable.
 */
export function classCountOf(names: string | undefined): number {
  if (!names) return 0;
  const text = names.trim();
  if (text.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(text);
      return Array.isArray(list) ? list.length : 0;
    } catch {
      return 0;
    }
  }
  let highest = -1;
  const entry = /(\d+)\s*:\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g;
  for (let m = entry.exec(text); m; m = entry.exec(text)) highest = Math.max(highest, Number(m[1]));
  return highest + 1;
}

/** The numbers of a constant tensor (float, double, int32, int64; raw or typed fields); null otherwise. */
function tensorNumbers(t: onnx.ITensorProto): number[] | null {
  const type = t.dataType ?? 0;
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    if (type === DATA_TYPE.FLOAT)
      for (let i = 0; i + 4 <= raw.length; i += 4) out.push(view.getFloat32(i, true));
    else if (type === DATA_TYPE.DOUBLE)
      for (let i = 0; i + 8 <= raw.length; i += 8) out.push(view.getFloat64(i, true));
    else if (type === DATA_TYPE.INT32)
      for (let i = 0; i + 4 <= raw.length; i += 4) out.push(view.getInt32(i, true));
    else if (type === DATA_TYPE.INT64) {
      for (let i = 0; i + 8 <= raw.length; i += 8) out.push(Number(view.getBigInt64(i, true)));
    } else return null;
    return out;
  }
  if (type === DATA_TYPE.FLOAT) return [...(t.floatData ?? [])];
  if (type === DATA_TYPE.DOUBLE) return [...(t.doubleData ?? [])];
  if (type === DATA_TYPE.INT32) return [...(t.int32Data ?? [])];
  if (type === DATA_TYPE.INT64) return (t.int64Data ?? []).map((v) => int(v));
  return null;
}

function attribute(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function attributeInt(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? int(a.i, fallback) : fallback;
}

function attributeInts(node: onnx.INodeProto, name: string): number[] {
  return (attribute(node, name)?.ints ?? []).map((v) => int(v));
}

function dimsOf(info: onnx.IValueInfoProto | undefined): Array<number | string> | null {
  const dims = info?.type?.tensorType?.shape?.dim;
  if (!dims) return null;
  return dims.map((d) => (d.dimParam ? d.dimParam : int(d.dimValue)));
}

/** Producers, consumers, constants and the stride of every tensor of one graph. */
class GraphIndex {
  readonly nodes: onnx.INodeProto[];
  readonly producer = new Map<string, number>();
  readonly consumers = new Map<string, number[]>();
  readonly initializers = new Map<string, onnx.ITensorProto>();
  readonly dataInputs: onnx.IValueInfoProto[];
  readonly outputs: onnx.IValueInfoProto[];
  readonly valueInfo = new Map<string, onnx.IValueInfoProto>();
  private readonly strides = new Map<string, number | undefined>();

  constructor(
    graph: onnx.IGraphProto,
    private readonly opset: number,
  ) {
    this.nodes = graph.node ?? [];
    this.nodes.forEach((node, i) => {
      for (const out of node.output ?? []) if (out) this.producer.set(out, i);
      for (const input of node.input ?? []) {
        if (!input) continue;
        const list = this.consumers.get(input) ?? [];
        list.push(i);
        this.consumers.set(input, list);
      }
    });
    for (const t of graph.initializer ?? []) if (t.name) this.initializers.set(t.name, t);
    this.dataInputs = (graph.input ?? []).filter((i) => i.name && !this.initializers.has(i.name));
    this.outputs = graph.output ?? [];
    for (const v of [...(graph.valueInfo ?? []), ...(graph.input ?? []), ...this.outputs]) {
      if (v.name) this.valueInfo.set(v.name, v);
    }
  }

  node(tensor: string): onnx.INodeProto | undefined {
    const i = this.producer.get(tensor);
    return i === undefined ? undefined : this.nodes[i];
  }

  /** The value of a constant tensor: an initializer or a Constant node's output. */
  constant(tensor: string): number[] | null {
    const init = this.initializers.get(tensor);
    if (init) return tensorNumbers(init);
    const node = this.node(tensor);
    if (node?.opType !== 'Constant') return null;
    const value = attribute(node, 'value');
    if (value?.t) return tensorNumbers(value.t);
    const ints = attribute(node, 'value_ints');
    if (ints) return (ints.ints ?? []).map((v) => int(v));
    const floats = attribute(node, 'value_floats');
    if (floats) return [...(floats.floats ?? [])];
    return null;
  }

  /** The dims of a constant tensor (for a Conv's weight), null when not constant. */
  constantDims(tensor: string): number[] | null {
    const init = this.initializers.get(tensor);
    if (init) return (init.dims ?? []).map((d) => int(d));
    const node = this.node(tensor);
    const t = node?.opType === 'Constant' ? attribute(node, 'value')?.t : undefined;
    return t ? (t.dims ?? []).map((d) => int(d)) : null;
  }

  /** Graph outputs reachable from `tensor`. */
  reachesOutput(tensor: string): boolean {
    const wanted = new Set(this.outputs.map((o) => o.name));
    const seen = new Set<string>();
    const queue = [tensor];
    while (queue.length > 0) {
      const t = queue.pop()!;
      if (wanted.has(t)) return true;
      if (seen.has(t)) continue;
      seen.add(t);
      for (const i of this.consumers.get(t) ?? []) queue.push(...(this.nodes[i].output ?? []));
    }
    return false;
  }

  /** Indices (in graph order) of the nodes that `tensors` need, and every tensor name they read. */
  needed(tensors: string[]): { nodes: number[]; names: Set<string> } {
    const names = new Set<string>();
    const nodes = new Set<number>();
    const queue = [...tensors];
    while (queue.length > 0) {
      const t = queue.pop()!;
      if (names.has(t)) continue;
      names.add(t);
      const i = this.producer.get(t);
      if (i === undefined || nodes.has(i)) continue;
      nodes.add(i);
      for (const input of this.nodes[i].input ?? []) if (input) queue.push(input);
      // A subgraph (If, Loop) may read tensors of this graph by name.
      for (const a of this.nodes[i].attribute ?? []) {
        for (const g of [a.g, ...(a.graphs ?? [])]) {
          for (const n of g?.node ?? []) for (const input of n.input ?? []) if (input) queue.push(input);
        }
      }
    }
    return { nodes: [...nodes].sort((a, b) => a - b), names };
  }

  /**
   * Input pixels per element of `tensor` along the height: 1 at the image input, times the strides of
   * every Conv and pooling on the way, divided by every upsampling's scale. Undefined for a constant,
   * or when a Resize's factor is not a constant.
   */
  stride(tensor: string): number | undefined {
    if (this.strides.has(tensor)) return this.strides.get(tensor);
    this.strides.set(tensor, undefined);
    const value = this.computeStride(tensor);
    this.strides.set(tensor, value);
    return value;
  }

  private computeStride(tensor: string): number | undefined {
    if (this.dataInputs.some((i) => i.name === tensor)) return 1;
    const node = this.node(tensor);
    if (!node || node.opType === 'Constant') return undefined;
    const inputs = (node.input ?? []).filter((i) => i && !this.initializers.has(i));
    const first = node.input?.[0] ? this.stride(node.input[0]) : undefined;
    switch (node.opType) {
      case 'Conv':
      case 'MaxPool':
      case 'AveragePool':
        return first === undefined ? undefined : first * (attributeInts(node, 'strides')[0] ?? 1);
      case 'ConvTranspose':
        return first === undefined ? undefined : first / (attributeInts(node, 'strides')[0] ?? 1);
      case 'Resize':
      case 'Upsample': {
        const scalesAt = node.opType === 'Upsample' || this.opset < 11 ? 1 : 2;
        const scales = node.input?.[scalesAt] ? this.constant(node.input[scalesAt]) : null;
        if (first === undefined || !scales || scales.length < 3 || !(scales[2] > 0)) return undefined;
        return first / scales[2];
      }
      default:
        if (first !== undefined) return first;
        for (const input of inputs) {
          const s = this.stride(input);
          if (s !== undefined) return s;
        }
        return undefined;
    }
  }
}

function defaultOpset(model: onnx.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return int(entry?.version, 1);
}

function describeSize(size: { width: number; height: number }): string {
  return `${size.width}x${size.height}`;
}

/** Which layout a model without a per-level Detect head seems to have, for the error message. */
function guessLayout(index: GraphIndex, classCount: number): string {
  const ops = new Set(index.nodes.map((n) => n.opType));
  const out = dimsOf(index.outputs[0]);
  const shown = out ? ` (output ${index.outputs[0].name} [${out.join(', ')}])` : '';
  if (ops.has('NonMaxSuppression')) {
    return `it looks like an end-to-end export with NMS inside the graph${shown}: export it again without NMS (nms=False)`;
  }
  if (ops.has('TopK')) {
    return `it looks like an end-to-end export that picks its detections inside the graph (TopK${shown}, YOLOv10/YOLO26 style): export a YOLOv8 or YOLO11 model, or one with end2end=False`;
  }
  const anchorReshape = index.nodes.some((n) => {
    if (n.opType !== 'Reshape' || index.node(n.input?.[0] ?? '')?.opType !== 'Conv') return false;
    return (index.constant(n.input?.[1] ?? '') ?? []).length === 5;
  });
  const last = out?.[out.length - 1];
  if (anchorReshape || (classCount > 0 && out?.length === 3 && last === classCount + 5)) {
    return `it looks like an anchor-based export (YOLOv5/YOLOv7 style: anchors and an objectness score${shown}), which this detector does not decode: use a YOLOv8 or YOLO11 export`;
  }
  return `the graph has no per-stride Concat on axis 1 of a box Conv and a class Conv that flows into its output${shown}`;
}

/** The per-level Concats: axis 1, two inputs each made by a Conv, the output going on to a graph output. */
function levelConcats(index: GraphIndex): onnx.INodeProto[] {
  return index.nodes.filter((node) => {
    if (node.opType !== 'Concat') return false;
    const rank = dimsOf(index.valueInfo.get(node.output?.[0] ?? ''))?.length ?? 4;
    const axis = attributeInt(node, 'axis', 0);
    if (axis !== 1 && axis !== 1 - rank) return false;
    const inputs = node.input ?? [];
    if (inputs.length !== 2 || !inputs.every((i) => index.node(i)?.opType === 'Conv')) return false;
    const out = node.output?.[0] ?? '';
    const next = (index.consumers.get(out) ?? []).map((i) => index.nodes[i].opType);
    return (
      next.some((op) => op === 'Reshape' || op === 'Concat' || op === 'Flatten') && index.reachesOutput(out)
    );
  });
}

/** Output channels of a Conv's output: its weight's first dim, else a recorded shape. */
function convChannels(index: GraphIndex, tensor: string): number | null {
  const node = index.node(tensor);
  const weight = node?.input?.[1] ? index.constantDims(node.input[1]) : null;
  if (weight && weight.length > 0 && weight[0] > 0) return weight[0];
  const recorded = dimsOf(index.valueInfo.get(tensor))?.[1];
  return typeof recorded === 'number' && recorded > 0 ? recorded : null;
}

/** The export's input size: fixed input dims, else metadata imgsz ([height, width] or one number). */
function exportSizeOf(input: onnx.IValueInfoProto, metadata: Record<string, string>) {
  const dims = dimsOf(input);
  if (dims && dims.length === 4 && typeof dims[2] === 'number' && typeof dims[3] === 'number') {
    if (dims[2] > 0 && dims[3] > 0) return { height: dims[2], width: dims[3] };
  }
  const numbers = (metadata.imgsz?.match(/\d+/g) ?? []).map(Number);
  if (numbers.length === 1) return { height: numbers[0], width: numbers[0] };
  if (numbers.length >= 2) return { height: numbers[0], width: numbers[1] };
  return null;
}

/** Throws when the kept part of the network is fixed to the export size. */
function assertNotFixedSize(
  index: GraphIndex,
  kept: number[],
  opset: number,
  exportSize: { width: number; height: number } | null,
): void {
  const again = 'export it again with dynamic=True (yolo export ... format=onnx dynamic=True)';
  const at = exportSize ? ` ${describeSize(exportSize)}` : ' one';
  for (const i of kept) {
    const node = index.nodes[i];
    if (node.opType === 'Resize' && opset >= 11 && node.input?.[3]) {
      const sizes = index.constant(node.input[3]);
      if (sizes) {
        throw new HeadCutError(
          `the export fixed an upsampling to [${sizes.join(', ')}] (Resize "${node.name}" with sizes instead of scales), so the network runs only at its${at} input size: ${again}`,
        );
      }
    }
    if (node.opType === 'Reshape' && exportSize && node.input?.[1]) {
      const shape = index.constant(node.input[1]);
      if (!shape || shape.length < 3) continue;
      const walked = index.stride(node.input?.[0] ?? '');
      const strides = walked ? [walked] : [1, 2, 4, 8, 16, 32, 64];
      const fixed = strides.some((s) => {
        const h = exportSize.height / s;
        const w = exportSize.width / s;
        const n = shape.length;
        return (shape[n - 2] === h && shape[n - 1] === w) || (h * w > 1 && shape[n - 1] === h * w);
      });
      if (fixed) {
        throw new HeadCutError(
          `the export fixed a Reshape to the${at} input's feature map (Reshape "${node.name}" to [${shape.join(', ')}]), so the network runs only at that size: ${again}`,
        );
      }
    }
  }
}

/**
 * The Detect head's per-level tensors of an Ultralytics YOLOv8/YOLO11 detection export, found by
 * structure: a Concat on axis 1 of a Conv (the box branch, 64 channels) and a Conv (the class branch)
 * whose output flows on into the head that builds output0; 2 to 4 of them, by increasing stride.
 * Throws a HeadCutError saying why when the model cannot be cut.
 */
export function findDetectHead(model: onnx.IModelProto): DetectHead {
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0) {
    throw new HeadCutError('there is no ONNX graph in it (not an ONNX model, or an empty one)');
  }
  const metadata = modelMetadata(model);
  if (metadata[HEAD_METADATA.key] === HEAD_METADATA.value) {
    throw new HeadCutError(
      `it is already cut (metadata ${HEAD_METADATA.key}=${HEAD_METADATA.value}): use it as it is`,
    );
  }
  if (metadata.task && metadata.task !== 'detect') {
    throw new HeadCutError(
      `it is a "${metadata.task}" model; only detection models (task "detect") can be cut: use a detection export`,
    );
  }
  const opset = defaultOpset(model);
  const index = new GraphIndex(graph, opset);
  const namedClasses = classCountOf(metadata.names);
  if (index.dataInputs.length !== 1) {
    throw new HeadCutError(
      `it has ${index.dataInputs.length} inputs (${index.dataInputs.map((i) => i.name).join(', ')}); a YOLO export has one, the image`,
    );
  }
  const input = index.dataInputs[0];
  const concats = levelConcats(index);
  if (concats.length === 0) {
    throw new HeadCutError(`no YOLOv8/YOLO11 Detect head found: ${guessLayout(index, namedClasses)}`);
  }
  if (concats.length < 2 || concats.length > 4) {
    throw new HeadCutError(
      `the Detect head has ${concats.length} level(s) (${concats.map((c) => c.output?.[0]).join(', ')}); expected 2 to 4 strides`,
    );
  }
  const levels: HeadLevel[] = [];
  let classCount = namedClasses;
  for (const concat of concats) {
    const tensor = concat.output?.[0] ?? '';
    const [boxTensor, classTensor] = concat.input ?? [];
    const box = convChannels(index, boxTensor);
    const cls = convChannels(index, classTensor);
    if (box === null || cls === null) {
      throw new HeadCutError(
        `cannot tell how many channels the level ${tensor} has (its Conv weights are not constants)`,
      );
    }
    const channels = box + cls;
    if (classCount === 0) classCount = cls;
    if (channels - classCount !== BOX_CHANNELS) {
      const left = channels - classCount;
      const regMax =
        left % 4 === 0 && left > 0
          ? `: the export's box regression has ${left / 4} bins per side (reg_max ${left / 4})`
          : '';
      throw new HeadCutError(
        `the level ${tensor} has ${channels} channels and the model has ${classCount} classes, which leaves ${left} box channels; the detector decodes ${BOX_CHANNELS} (4 sides x ${DFL_BINS} DFL bins, reg_max ${DFL_BINS})${regMax}`,
      );
    }
    levels.push({ tensor, channels, stride: index.stride(tensor) ?? NaN });
  }
  if (levels.some((l) => !(Number.isInteger(l.stride) && l.stride > 0))) {
    // The stride walk did not get through (an upsampling by a computed factor): the metadata's
    // largest stride, halved per level below it.
    const largest = Number(metadata.stride) > 0 ? Number(metadata.stride) : 32;
    levels.forEach((l, i) => (l.stride = largest / 2 ** (levels.length - 1 - i)));
  }
  levels.sort((a, b) => a.stride - b.stride);
  if (new Set(levels.map((l) => l.stride)).size !== levels.length) {
    throw new HeadCutError(
      `two levels have the same stride (${levels.map((l) => `${l.tensor}: ${l.stride}`).join(', ')}); that is not a YOLO Detect head`,
    );
  }
  const exportSize = exportSizeOf(input, metadata);
  const kept = index.needed(levels.map((l) => l.tensor));
  assertNotFixedSize(index, kept.nodes, opset, exportSize);
  return {
    levels,
    classCount,
    input: input.name ?? '',
    exportSize: exportSize ? { width: exportSize.width, height: exportSize.height } : null,
  };
}

/** Throws the HeadCutError that says why `model` cannot be cut; returns quietly when it can. */
export function assertCuttable(model: onnx.IModelProto): void {
  findDetectHead(model);
}

/** A short description of a cut model's outputs (its doc_string). */
export function cutDocString(head: DetectHead): string {
  const channels = BOX_CHANNELS + head.classCount;
  return (
    `YOLO Detect head cut before decoding: one output per stride (${head.levels.map((l) => l.stride).join(', ')}), ` +
    `each [1, ${channels}, height/stride, width/stride] for any input whose sides are multiples of the largest stride. ` +
    `Channels 0..${BOX_CHANNELS - 1}: the DFL box distances, 4 sides (left, top, right, bottom) x ${DFL_BINS} bins ` +
    `(softmax over the bins, the expected bin is the distance in cells); channels ${BOX_CHANNELS}..${channels - 1}: ` +
    `one logit per class (no sigmoid yet), in the order of the metadata names.`
  );
}

/** The image input with height and width made dynamic ('height', 'width'). */
function dynamicInput(input: onnx.IValueInfoProto): onnx.ValueInfoProto {
  const tensorType = input.type?.tensorType;
  const dims = tensorType?.shape?.dim ?? [];
  const dim = dims.map((d, i) => (i === 2 ? { dimParam: 'height' } : i === 3 ? { dimParam: 'width' } : d));
  return onnx.ValueInfoProto.create({
    name: input.name,
    docString: input.docString,
    type: { ...input.type, tensorType: { ...tensorType, shape: { dim } } },
  });
}

/**
 * The export cut at its Detect head's per-level tensors: only the nodes and initializers they need,
 * those tensors as the graph's outputs (float, [batch, channels, height/stride, width/stride]), the
 * input's height and width dynamic, no stale value_info; ir_version, opsets, producer and every
 * metadata entry kept, plus `head` = 'levels' and a doc_string that says what the outputs are.
 * Throws a HeadCutError when the model cannot be cut.
 */
export function cutDetectHead(model: onnx.IModelProto): HeadCut {
  const head = findDetectHead(model);
  const graph = model.graph!;
  const index = new GraphIndex(graph, defaultOpset(model));
  const kept = index.needed(head.levels.map((l) => l.tensor));
  const input = index.dataInputs[0];
  const batch = input.type?.tensorType?.shape?.dim?.[0] ?? { dimValue: 1 };
  const output = head.levels.map((l) =>
    onnx.ValueInfoProto.create({
      name: l.tensor,
      docString: `stride ${l.stride}: ${BOX_CHANNELS} DFL box channels, then ${head.classCount} class logits`,
      type: {
        tensorType: {
          elemType: DATA_TYPE.FLOAT,
          shape: {
            dim: [
              batch,
              { dimValue: l.channels },
              { dimParam: `height/${l.stride}` },
              { dimParam: `width/${l.stride}` },
            ],
          },
        },
      },
    }),
  );
  const initializer = (graph.initializer ?? []).filter((t) => kept.names.has(t.name ?? ''));
  const cut = onnx.ModelProto.create({
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    domain: model.domain,
    modelVersion: model.modelVersion,
    docString: cutDocString(head),
    functions: model.functions,
    metadataProps: [
      ...(model.metadataProps ?? []).filter((p) => p.key !== HEAD_METADATA.key),
      { key: HEAD_METADATA.key, value: HEAD_METADATA.value },
    ],
    graph: onnx.GraphProto.create({
      name: graph.name,
      docString: graph.docString,
      node: kept.nodes.map((i) => index.nodes[i]),
      initializer,
      sparseInitializer: (graph.sparseInitializer ?? []).filter((t) => kept.names.has(t.values?.name ?? '')),
      input: (graph.input ?? [])
        .filter((i) => kept.names.has(i.name ?? ''))
        .map((i) => (i === input ? dynamicInput(i) : i)),
      output,
      valueInfo: [],
      quantizationAnnotation: (graph.quantizationAnnotation ?? []).filter((a) =>
        kept.names.has(a.tensorName ?? ''),
      ),
    }),
  });
  return {
    model: cut,
    head,
    nodesBefore: index.nodes.length,
    nodesAfter: kept.nodes.length,
    initializersBefore: (graph.initializer ?? []).length,
    initializersAfter: initializer.length,
  };
}

/** What a cut model's outputs are: its levels (stride from the graph) and class count. */
export function cutModelLevels(model: onnx.IModelProto): { levels: HeadLevel[]; classCount: number } {
  const graph = model.graph;
  const metadata = modelMetadata(model);
  if (!graph || metadata[HEAD_METADATA.key] !== HEAD_METADATA.value) {
    throw new HeadCutError(`it is not a cut model (no metadata ${HEAD_METADATA.key}=${HEAD_METADATA.value})`);
  }
  const index = new GraphIndex(graph, defaultOpset(model));
  const levels = index.outputs.map((o) => {
    const channels = dimsOf(o)?.[1];
    return {
      tensor: o.name ?? '',
      channels: typeof channels === 'number' ? channels : NaN,
      stride: index.stride(o.name ?? '') ?? NaN,
    };
  });
  const classCount = classCountOf(metadata.names) || (levels[0]?.channels ?? 0) - BOX_CHANNELS;
  return { levels, classCount };
}

/**
 * A copy of `model` whose graph also outputs `tensors` (float, shape left to the runtime), for
 * reading intermediate tensors of a full export, e.g. to compare them with a cut model's outputs.
 */
export function withGraphOutputs(model: onnx.IModelProto, tensors: string[]): onnx.ModelProto {
  const graph = model.graph ?? {};
  const present = new Set((graph.output ?? []).map((o) => o.name));
  const added = tensors
    .filter((t) => !present.has(t))
    .map((name) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DATA_TYPE.FLOAT } } }));
  return onnx.ModelProto.create({
    ...model,
    graph: onnx.GraphProto.create({ ...graph, output: [...(graph.output ?? []), ...added] }),
  });
}
