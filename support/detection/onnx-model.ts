import { writeFileSync } from 'node:fs';

// A few protobuf writers, enough for the ONNX messages below: the repo has no protobuf or onnx
// package to build a model with, and a valid model is only a few hundred bytes by hand.

/** Base-128 varint, low 7 bits first, high bit set on every byte but the last. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** Field key: field number and wire type (0 varint, 2 length-delimited). */
const key = (field: number, wireType: 0 | 2) => varint(field * 8 + wireType);

/** A varint field (ints and enums). */
const int = (field: number, value: number) => Buffer.concat([key(field, 0), varint(value)]);

/** A length-delimited field: strings and embedded messages are both bytes prefixed by their length. */
function bytes(field: number, value: string | Buffer): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([key(field, 2), varint(data.length), data]);
}

/** An embedded message: its fields concatenated, written as one length-delimited field. */
const message = (field: number, ...fields: Buffer[]) => bytes(field, Buffer.concat(fields));

/** ValueInfoProto for a float32 tensor of fixed shape. */
function tensorInfo(field: number, name: string, dims: number[]): Buffer {
  const shape = message(2, ...dims.map((d) => message(1, int(1, d)))); // TensorShapeProto { dim { dim_value } }
  const tensorType = message(1, int(1, 1), shape); // TypeProto.Tensor { elem_type FLOAT, shape }
  return message(field, bytes(1, name), message(2, tensorType)); // ValueInfoProto { name, type }
}

/** Writes a small valid ONNX model that is not a YOLO detector: input "images" float32 [1,3,640,640] -> GlobalAveragePool -> output "scores" [1,3,1,1]. */
export function writeNonDetectorOnnx(file: string): void {
  const node = message(
    1,
    bytes(1, 'images'),
    bytes(2, 'scores'),
    bytes(3, 'pool'),
    bytes(4, 'GlobalAveragePool'),
  );
  const graph = message(
    7,
    node,
    bytes(2, 'not-a-detector'),
    tensorInfo(11, 'images', [1, 3, 640, 640]),
    tensorInfo(12, 'scores', [1, 3, 1, 1]),
  );
  const model = Buffer.concat([
    int(1, 8), // ir_version
    bytes(2, 'store-analytics-tests'), // producer_name
    graph,
    message(8, bytes(1, ''), int(2, 13)), // opset_import { domain '' (ai.onnx), version 13 }
  ]);
  writeFileSync(file, model);
}
