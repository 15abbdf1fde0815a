/**
 * Reads the `metadata_props` of an ONNX model (ModelProto field 14: key/value strings), where
 * Ultralytics exports store `names`, `imgsz`, `stride` and `task`. onnxruntime-node does not expose
 * them, so the top level of the protobuf is walked here: every other field (the graph holds the
 * weights, megabytes) is skipped by its length without being parsed.
 */
export function readOnnxMetadata(model: Uint8Array): Record<string, string> {
  const props: Record<string, string> = {};
  const reader = new ProtoReader(model);
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (field === 14 && wireType === 2) {
      const entry = new ProtoReader(reader.bytes());
      let key = '';
      let value = '';
      while (!entry.done) {
        const k = entry.key();
        if (k.wireType !== 2) {
          entry.skip(k.wireType);
          continue;
        }
        const text = Buffer.from(entry.bytes()).toString('utf8');
        if (k.field === 1) key = text;
        else if (k.field === 2) value = text;
      }
      if (key) props[key] = value;
    } else {
      reader.skip(wireType);
    }
  }
  return props;
}

class ProtoReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  key(): { field: number; wireType: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wireType: key % 8 };
  }

  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated ONNX file (varint)');
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result;
      multiplier *= 128;
      if (multiplier > 2 ** 63) throw new Error('not an ONNX file (bad varint)');
    }
  }

  bytes(): Uint8Array {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.buf.length) throw new Error('truncated ONNX file');
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        return;
      default:
        throw new Error(`not an ONNX file (protobuf wire type ${wireType})`);
    }
  }
}

/**
 * Class names from Ultralytics' `names` entry: a Python dict literal such as
 * `{0: 'person', 1: 'bicycle'}` (or a JSON list). Returns [] when absent or unreadable.
 */
export function parseClassNames(text: string | undefined): string[] {
  if (!text) return [];
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(trimmed);
      return Array.isArray(list) ? list.map(String) : [];
    } catch {
      return [];
    }
  }
  const names: string[] = [];
  const entry = /(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (let m = entry.exec(trimmed); m; m = entry.exec(trimmed)) {
    names[Number(m[1])] = (m[2] ?? m[3]).replace(/\\(.)/g, '$1');
  }
  return Array.from(names, (n, i) => n ?? `class ${i}`);
}

/** `imgsz` as Ultralytics writes it: `[640, 640]` (height, width) or `640`. */
export function parseImageSize(text: string | undefined): { height: number; width: number } | null {
  if (!text) return null;
  const numbers = (text.match(/\d+/g) ?? []).map(Number);
  if (numbers.length === 1) return { height: numbers[0], width: numbers[0] };
  if (numbers.length >= 2) return { height: numbers[0], width: numbers[1] };
  return null;
}
