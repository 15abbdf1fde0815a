/**
 * ONNX model files: read one into a ModelProto (onnx-proto), write one atomically (a temporary file
 * beside the target, then a rename, so a reader never sees half a model).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';

/** A ModelProto's bytes. */
export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Decodes ONNX bytes; throws "<what> is not an ONNX model (...)" for anything else. */
export function decodeModel(bytes: Uint8Array, what = 'the data'): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new Error(`${what} is not an ONNX model (${(err as Error).message.split('\n')[0]})`);
  }
  // Protobuf reads many byte strings without complaint: an ONNX model has at least a graph with nodes.
  if (!model.graph || (model.graph.node ?? []).length === 0) {
    throw new Error(`${what} is not an ONNX model (no graph with nodes in it)`);
  }
  return model;
}

/** Reads an .onnx file into a ModelProto. */
export function readModelFile(file: string): onnx.ModelProto {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  return decodeModel(bytes, file);
}

/** Writes `model` to `file` through a temporary file in the same folder and a rename. */
export function writeModelFile(file: string, model: onnx.IModelProto): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, encodeModel(model));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new Error(`cannot write ${file}: ${(err as Error).message}`);
  }
}
