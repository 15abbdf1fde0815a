/**
 * The NumPy .npy format (version 1.0) for float grids, so saved heat data loads with
 * `numpy.load(path)` as in the app this replaces. Little-endian float32, C order.
 */
const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export function encodeNpy(data: Float32Array, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`shape ${shape.join('x')} does not hold ${data.length} values`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic(6) + version(2) + length(2) + header + '\n' is padded with spaces to a multiple of 64.
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) body.writeFloatLE(data[i], i * 4);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

/** Reads a .npy file of float32 or float64 values (C order); throws with the reason when it cannot. */
export function decodeNpy(file: Buffer): { data: Float32Array; shape: number[] } {
  if (file.length < 10 || !file.subarray(0, 6).equals(MAGIC)) throw new Error('not a NumPy .npy file');
  const major = file[6];
  const lengthBytes = major === 1 ? 2 : 4;
  if (major < 1 || major > 3) throw new Error(`unsupported .npy version ${major}`);
  const headerLength = lengthBytes === 2 ? file.readUInt16LE(8) : file.readUInt32LE(8);
  const start = 8 + lengthBytes;
  if (start + headerLength > file.length) throw new Error('truncated .npy header');
  const header = file.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error('unreadable .npy header');
  if (fortran === 'True') throw new Error('Fortran-ordered .npy data is not supported');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const size = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (!size) throw new Error(`unsupported .npy data type ${descr}`);
  const body = file.subarray(start + headerLength);
  if (body.length < count * size)
    throw new Error(`truncated .npy data: ${body.length} bytes for ${count} values`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = size === 4 ? body.readFloatLE(i * 4) : body.readDoubleLE(i * 8);
  return { data, shape };
}
