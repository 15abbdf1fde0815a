import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import sharp, { type Metadata } from '../image/sharp';
import { torsoHistogram } from '../image/colour-histogram';
import { readJpegSize } from '../image/jpeg-splitter';
import { decodeYoloOutput, detectLayout, YoloLayout } from './decode';
import type { Box } from '../geometry/box';
import { inputSizeFor, LETTERBOX_GREY, letterboxedChwFloat, letterboxFor, toSourceBox } from './letterbox';
import { isModelSide } from './input-size-setting';
import { decodeLevels, isLevelLayout } from './level-decode';
import { nonMaxSuppression } from './nms';
import { parseClassNames, parseImageSize, readOnnxMetadata } from './onnx-metadata';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface DetectorOptions {
  /** Intra-op threads of the session: 2 uses both cores of a small store PC (measured fastest). */
  threads: number;
  executionProvider: ExecutionProvider;
  /**
   * Long side of the model input for a model that takes any size (a head cut, or an export made
   * with dynamic=True): each camera is letterboxed to its own aspect at this size. 0 or missing:
   * the size the model was exported at. A model with a fixed input ignores it.
   */
  inputSize?: number;
}

/** What the model says about itself, read from its input shape and metadata. */
export interface ModelInfo {
  inputName: string;
  outputName: string;
  /** Every output, in the model's order (a head cut has one per stride). */
  outputNames: string[];
  /** The model's fixed input, or for a free-size model the size it was exported at. */
  inputHeight: number;
  inputWidth: number;
  /** Long side each camera's input is sized to (a free-size model); null: the fixed input above. */
  inputSize: number | null;
  /** With Input size auto: the sides it chooses from by load (set by the shared detector). */
  autoInputSizes?: number[];
  names: string[];
  /** 'levels': a head cut's per-stride outputs. Else known once the first output has been seen. */
  layout: YoloLayout | 'levels' | null;
  /** The provider actually in use (cuda falls back to cpu when its binaries are not installed). */
  executionProvider: ExecutionProvider;
  /** Why the requested provider is not in use, if so. */
  providerWarning: string | null;
}

export interface Detection {
  /** [x1, y1, x2, y2] in source-frame pixels. */
  box: Box;
  score: number;
  classId: number;
  label: string;
  /** Torso colour histogram (64 bins), for the tracker to recognise a returning person. */
  appearance?: number[];
}

export interface DetectRequest {
  /**
   * Long side of the model input for this frame (yolo-model's auto input size); a model with a
   * fixed input ignores it. Missing: the session's own.
   */
  inputSize?: number;
  scoreThreshold: number;
  iouThreshold: number;
  /** Class ids to keep; null keeps all. */
  classes: number[] | null;
}

export interface DetectTimings {
  decodeMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

/** Pure inference runs (YoloDetector.timeInference): when each ended (ms since epoch) and how long it took. */
export interface InferenceRuns {
  endedAt: number[];
  ms: number[];
}

export interface DetectResult {
  detections: Detection[];
  width: number;
  height: number;
  /** The model input this frame ran at. */
  input: { width: number; height: number };
  timings: DetectTimings;
}

/** A person-readable error (model missing, not a YOLO model, not an image), with a stable code. */
export class DetectorError extends Error {
  constructor(
    readonly code: 'model-missing' | 'not-yolo' | 'not-image' | 'provider',
    message: string,
  ) {
    super(message);
    this.name = 'DetectorError';
  }
}

/**
 * One YOLO model in one ONNX Runtime session: JPEG in, detections in frame pixels out. Meant to
 * run inside a worker thread (session.run blocks its thread for the whole inference).
 */
export class YoloDetector {
  /**
   * One input buffer per input size: a camera keeps its size, so a few cameras of different aspect
   * reuse theirs instead of allocating one per frame.
   */
  private readonly inputs = new Map<string, Float32Array>();
  /** The last input size run (the benchmark's pure inference runs it again). */
  private lastSize: { width: number; height: number };

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly info: ModelInfo,
  ) {
    this.lastSize = { width: info.inputWidth, height: info.inputHeight };
  }

  static async load(modelPath: string, options: DetectorOptions): Promise<YoloDetector> {
    let bytes: Buffer;
    try {
      bytes = await readFile(modelPath);
    } catch (err) {
      throw new DetectorError(
        'model-missing',
        `model file not found: ${modelPath} (run 'npm run fetch:model', or choose a model file in the yolo-model node)` +
          ((err as NodeJS.ErrnoException).code === 'ENOENT' ? '' : `: ${(err as Error).message}`),
      );
    }
    let metadata: Record<string, string>;
    try {
      metadata = readOnnxMetadata(bytes);
    } catch (err) {
      throw new DetectorError('not-yolo', `not an ONNX model: ${modelPath} (${(err as Error).message})`);
    }
    const { session, provider, warning } = await createSession(bytes, options);
    const inputName = session.inputNames[0];
    const outputName = session.outputNames[0];
    const inputMeta = session.inputMetadata[0];
    const shape = inputMeta && inputMeta.isTensor ? inputMeta.shape : [];
    const fromMeta = parseImageSize(metadata.imgsz);
    const dim = (i: number, fallback: number | undefined) =>
      typeof shape[i] === 'number' && (shape[i] as number) > 0 ? (shape[i] as number) : (fallback ?? 640);
    if (shape.length !== 4 || (typeof shape[1] === 'number' && shape[1] !== 3)) {
      await session.release();
      throw new DetectorError(
        'not-yolo',
        `not a YOLO detection model: input shape [${shape.join(', ')}] is not [1, 3, height, width]`,
      );
    }
    if (metadata.task && metadata.task !== 'detect') {
      await session.release();
      throw new DetectorError('not-yolo', `not a YOLO detection model: its task is '${metadata.task}'`);
    }
    const freeSize = typeof shape[2] !== 'number' || typeof shape[3] !== 'number';
    if (options.inputSize !== undefined && options.inputSize !== 0 && !isModelSide(options.inputSize)) {
      await session.release();
      throw new DetectorError(
        'not-yolo',
        `the model input size must be a multiple of 32 from 32 to 2048: got ${options.inputSize}`,
      );
    }
    const inputHeight = dim(2, fromMeta?.height);
    const inputWidth = dim(3, fromMeta?.width);
    const requested = options.inputSize ?? 0;
    const outputShapes = session.outputMetadata.map((m) => (m.isTensor ? m.shape : []));
    const info: ModelInfo = {
      inputName,
      outputName,
      outputNames: [...session.outputNames],
      inputHeight,
      inputWidth,
      inputSize: freeSize ? (requested > 0 ? requested : Math.max(inputWidth, inputHeight)) : null,
      names: parseClassNames(metadata.names),
      layout: isLevelLayout(outputShapes) ? 'levels' : null,
      executionProvider: provider,
      providerWarning: warning,
    };
    const outputMeta = session.outputMetadata[0];
    if (
      info.layout === null &&
      outputMeta &&
      outputMeta.isTensor &&
      outputMeta.shape.every((d) => typeof d === 'number' && d > 0)
    ) {
      try {
        info.layout = detectLayout(outputMeta.shape as number[], info.names.length);
      } catch (err) {
        await session.release();
        throw new DetectorError('not-yolo', (err as Error).message);
      }
    }
    return new YoloDetector(session, info);
  }

  async detect(jpeg: Buffer, request: DetectRequest): Promise<DetectResult> {
    const t0 = performance.now();
    const { info } = this;
    // The JPEG header gives the size in microseconds; sharp is asked only for other formats.
    const size = readJpegSize(jpeg) ?? (await imageSize(jpeg));
    const sourceWidth = size.width;
    const sourceHeight = size.height;
    const input = this.inputSizeFor(sourceWidth, sourceHeight, request.inputSize);
    const lb = letterboxFor(sourceWidth, sourceHeight, input.width, input.height);
    let pixels: Buffer;
    try {
      pixels = await sharp(jpeg)
        .removeAlpha()
        .toColourspace('srgb')
        // Bilinear, as Ultralytics' cv2.resize(INTER_LINEAR); the grey bars are drawn below.
        .resize(lb.scaledWidth, lb.scaledHeight, { fit: 'fill', kernel: sharp.kernel.linear })
        .raw()
        .toBuffer();
    } catch {
      throw new DetectorError('not-image', 'input is not an image sharp can decode');
    }
    const buffer = this.inputBuffer(input.width, input.height);
    letterboxedChwFloat(pixels, lb, buffer);
    const t1 = performance.now();

    const tensor = new ort.Tensor('float32', buffer, [1, 3, input.height, input.width]);
    const outputs = await this.session.run({ [info.inputName]: tensor });
    this.lastSize = input;
    const t2 = performance.now();

    const decodeOptions = {
      numClasses: info.names.length,
      scoreThreshold: request.scoreThreshold,
      classes: request.classes ? new Set(request.classes) : null,
    };
    let raw;
    if (info.layout === 'levels') {
      const levels = info.outputNames.map((name) => ({
        data: outputs[name].data as Float32Array,
        dims: outputs[name].dims,
      }));
      raw = decodeLevels(levels, input.width, input.height, decodeOptions);
    } else {
      const output = outputs[info.outputName];
      const dims = output.dims as number[];
      info.layout = detectLayout(dims, info.names.length);
      raw = decodeYoloOutput(output.data as Float32Array, dims, decodeOptions, info.layout);
    }
    const kept = info.layout === 'end2end' ? raw : nonMaxSuppression(raw, request.iouThreshold);
    const detections = kept.map((d): Detection => {
      // Taken from the scaled pixels the model saw (its box without the bars): no second decode.
      const inFrame: Box = [
        d.box[0] - lb.padLeft,
        d.box[1] - lb.padTop,
        d.box[2] - lb.padLeft,
        d.box[3] - lb.padTop,
      ];
      const appearance = torsoHistogram(pixels, lb.scaledWidth, lb.scaledHeight, inFrame);
      return {
        box: toSourceBox(d.box, lb).map((v) => Math.round(v * 10) / 10) as Box,
        score: Math.round(d.score * 1000) / 1000,
        classId: d.classId,
        label: info.names[d.classId] ?? `class ${d.classId}`,
        ...(appearance ? { appearance } : {}),
      };
    });
    for (const t of Object.values(outputs)) t.dispose?.();
    const t3 = performance.now();
    return {
      detections,
      width: sourceWidth,
      height: sourceHeight,
      input,
      timings: { decodeMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 },
    };
  }

  /**
   * Diagnostic, for the benchmark: runs the session `runs` times on the last input, or on grey inputs
   * of the given sizes in turn (nothing else:
   * no decode, no letterbox, no NMS) and gives when each run ended (ms on the process-wide clock,
   * comparable across threads) and how long it took: "pure inference". It stays here because it
   * needs the session and input tensor, which only this class (inside the worker) holds.
   */
  async timeInference(
    runs: number,
    sizes?: ReadonlyArray<{ width: number; height: number }>,
  ): Promise<InferenceRuns> {
    // Several sizes take turns: what a session pays when cameras of different aspect alternate.
    const tensors = (sizes && sizes.length > 0 ? sizes : [this.lastSize]).map(
      ({ width, height }) =>
        new ort.Tensor('float32', this.inputBuffer(width, height), [1, 3, height, width]),
    );
    const endedAt: number[] = [];
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const tensor = tensors[i % tensors.length];
      const t0 = performance.now();
      const outputs = await this.session.run({ [this.info.inputName]: tensor });
      const t1 = performance.now();
      for (const t of Object.values(outputs)) t.dispose?.();
      ms.push(t1 - t0);
      endedAt.push(performance.timeOrigin + t1);
    }
    return { endedAt, ms };
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  /** The model input for a frame of this size: the fixed one, or sized to the camera at `side`. */
  inputSizeFor(
    sourceWidth: number,
    sourceHeight: number,
    side: number | undefined,
  ): { width: number; height: number } {
    const { info } = this;
    if (info.inputSize === null) return { width: info.inputWidth, height: info.inputHeight };
    return inputSizeFor(
      sourceWidth,
      sourceHeight,
      side !== undefined && isModelSide(side) ? side : info.inputSize,
    );
  }

  private inputBuffer(width: number, height: number): Float32Array {
    const key = `${width}x${height}`;
    let buffer = this.inputs.get(key);
    if (!buffer) {
      // Cameras keep their size: a handful of sizes at most, unless frames change size all the time.
      if (this.inputs.size >= 8) this.inputs.clear();
      buffer = new Float32Array(3 * width * height).fill(LETTERBOX_GREY / 255);
      this.inputs.set(key, buffer);
    }
    return buffer;
  }
}

async function imageSize(image: Buffer): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch {
    throw new DetectorError('not-image', 'input is not an image: msg.payload must be a JPEG or PNG Buffer');
  }
  if (!meta.width || !meta.height) throw new DetectorError('not-image', 'input image has no size');
  return { width: meta.width, height: meta.height };
}

async function createSession(
  model: Buffer,
  options: DetectorOptions,
): Promise<{ session: ort.InferenceSession; provider: ExecutionProvider; warning: string | null }> {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // ONNX Runtime's intra-op threads spin while waiting for work by default: on this 2-core machine
    // that kept both cores at 199 % during inference against 180 % without spinning, at the same
    // inference time (74-85 ms either way, measured), and starved ffmpeg, JPEG work and Node-RED.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const create = (providers: ExecutionProvider[], quiet = false) =>
    ort.InferenceSession.create(model, {
      ...base,
      executionProviders: providers,
      // The failed CUDA attempt is reported in words below, not as ONNX Runtime's console dump.
      ...(quiet ? { logSeverityLevel: 4 as const } : {}),
    });
  if (options.executionProvider === 'cuda') {
    try {
      return { session: await create(['cuda'], true), provider: 'cuda', warning: null };
    } catch (err) {
      const warning =
        'CUDA is not available (the npm build of onnxruntime-node ships the CPU provider only; install its CUDA ' +
        `binaries and a matching CUDA/cuDNN to use a GPU), running on the CPU: ${(err as Error).message.split('\n')[0]}`;
      return { session: await createCpu(), provider: 'cpu', warning };
    }
  }
  return { session: await createCpu(), provider: 'cpu', warning: null };

  async function createCpu(): Promise<ort.InferenceSession> {
    try {
      return await create(['cpu']);
    } catch (err) {
      throw new DetectorError(
        'not-yolo',
        `ONNX Runtime cannot load the model: ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }
}
