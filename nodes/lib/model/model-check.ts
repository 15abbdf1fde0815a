/**
 * Runs a cut model (head-cut.ts) in ONNX Runtime at its export size and at other sizes, and checks
 * that every level comes out as [1, 64 + classes, height / stride, width / stride].
 */
import * as ort from 'onnxruntime-node';
import type { onnx } from 'onnx-proto';
import { BOX_CHANNELS } from '../yolo/level-decode';
import { cutModelLevels, type HeadLevel } from './head-cut';
import { encodeModel } from './model-file';

export interface ImageSize {
  width: number;
  height: number;
}

/** What one size gave: each level's output dims, in the model's output order. */
export interface SizeCheck extends ImageSize {
  outputs: Array<{ name: string; dims: number[] }>;
}

/** Sizes as `width x height`. */
export function sizeText(size: ImageSize): string {
  return `${size.width}x${size.height}`;
}

/** The sizes prepare checks: the export size, then a smaller non-square one (320x256, or 256x320). */
export function defaultCheckSizes(exportSize: ImageSize | null): ImageSize[] {
  const base = exportSize ?? { width: 640, height: 640 };
  const other =
    base.width === 320 && base.height === 256 ? { width: 256, height: 320 } : { width: 320, height: 256 };
  return [base, other];
}

function firstLine(err: unknown): string {
  return (
    String((err as Error)?.message ?? err)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'unknown error'
  );
}

/**
 * Runs `model` (a cut model: ModelProto or its bytes) once per size, in one session on one thread,
 * and checks each output's dims. `exportSize` is the size the export was made for: a failure there
 * means the cut is broken, a failure at another size that the network is fixed to its export size.
 * Throws an Error that says which, with ONNX Runtime's first line.
 */
export async function checkCutModel(
  model: onnx.IModelProto,
  sizes: ImageSize[],
  exportSize: ImageSize | null = sizes[0] ?? null,
): Promise<SizeCheck[]> {
  const { levels, classCount } = cutModelLevels(model);
  const largest = Math.max(...levels.map((l) => l.stride));
  for (const size of sizes) {
    if (size.width % largest !== 0 || size.height % largest !== 0) {
      throw new Error(
        `cannot check at ${sizeText(size)}: the sides must be multiples of the largest stride, ${largest}`,
      );
    }
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(encodeModel(model), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      // A refusal is reported in words by the caller, not as ONNX Runtime's console dump.
      logSeverityLevel: 4,
    });
  } catch (err) {
    throw new Error(`ONNX Runtime cannot load the cut model: ${firstLine(err)}`);
  }
  try {
    const checks: SizeCheck[] = [];
    for (const size of sizes) checks.push(await runAt(session, size, levels, classCount, exportSize));
    return checks;
  } finally {
    await session.release();
  }
}

async function runAt(
  session: ort.InferenceSession,
  size: ImageSize,
  levels: HeadLevel[],
  classCount: number,
  exportSize: ImageSize | null,
): Promise<SizeCheck> {
  const atExport =
    exportSize !== null && size.width === exportSize.width && size.height === exportSize.height;
  const image = new ort.Tensor('float32', new Float32Array(3 * size.width * size.height).fill(0.5), [
    1,
    3,
    size.height,
    size.width,
  ]);
  let results: ort.InferenceSession.OnnxValueMapType;
  try {
    results = await session.run({ [session.inputNames[0]]: image });
  } catch (err) {
    if (atExport) {
      throw new Error(`the cut model does not run at its export size ${sizeText(size)}: ${firstLine(err)}`);
    }
    const made = exportSize ? ` (it was exported for ${sizeText(exportSize)})` : '';
    throw new Error(
      `the model cannot run at sizes other than its export size${made}: ONNX Runtime refused ${sizeText(size)}: ${firstLine(err)}. ` +
        'Export it again with dynamic=True',
    );
  } finally {
    image.dispose();
  }
  try {
    const outputs = levels.map((level) => {
      const dims = results[level.tensor]?.dims.map(Number) ?? [];
      const expected = [1, BOX_CHANNELS + classCount, size.height / level.stride, size.width / level.stride];
      if (dims.join() !== expected.join()) {
        throw new Error(
          `at ${sizeText(size)} the level ${level.tensor} (stride ${level.stride}) came out [${dims.join(', ')}], expected [${expected.join(', ')}]`,
        );
      }
      return { name: level.tensor, dims };
    });
    return { ...size, outputs };
  } finally {
    for (const tensor of Object.values(results)) tensor.dispose();
  }
}
