import { Transform, TransformCallback } from 'node:stream';

/** One complete JPEG image cut out of a byte stream, with its size read from the SOF header. */
export interface JpegFrame {
  jpeg: Buffer;
  width: number;
  height: number;
}

export interface JpegSplitterOptions {
  /** A frame larger than this is treated as garbage: the splitter resynchronises on the next SOI. */
  maxFrameBytes?: number;
}

const MARKER = 0xff;
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;

/** Markers without a length field: TEM and RST0..RST7 (SOI/EOI are handled on their own). */
function isStandalone(marker: number): boolean {
  return marker === TEM || (marker >= 0xd0 && marker <= 0xd7);
}

/** Start-of-frame markers carry the image size (C0..CF except DHT C4, JPG C8, DAC CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

type ParseState = 'seek-soi' | 'segments' | 'entropy';

/**
 * Splits a byte stream of concatenated JPEG images (ffmpeg's `-f image2pipe -c:v mjpeg` output, an
 * MJPEG file) into one JpegFrame per image.
 *
 * It walks the marker segments instead of searching for the first FF D9, so an EXIF thumbnail
 * (a whole JPEG inside APP1) cannot end a frame early, and it resumes parsing where the previous
 * chunk stopped, so each byte is looked at once. Bytes before an SOI are skipped and counted.
 */
export class JpegSplitter extends Transform {
  /** Bytes thrown away while looking for the start of an image (garbage, truncated frames). */
  skippedBytes = 0;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private state: ParseState = 'seek-soi';
  private width = 0;
  private height = 0;
  private readonly maxFrameBytes: number;

  constructor(options: JpegSplitterOptions = {}) {
    super({ readableObjectMode: true });
    this.maxFrameBytes = options.maxFrameBytes ?? 32 * 1024 * 1024;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.parse();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    // A partial image at the end of the stream is not a frame.
    this.skippedBytes += this.buf.length;
    this.buf = Buffer.alloc(0);
    callback();
  }

  private parse(): void {
    for (;;) {
      const progressed =
        this.state === 'seek-soi'
          ? this.seekStart()
          : this.state === 'segments'
            ? this.readSegment()
            : this.scanEntropy();
      if (!progressed) break;
    }
    if (this.state !== 'seek-soi' && this.pos > this.maxFrameBytes) this.resync(1);
  }

  private seekStart(): boolean {
    const start = this.buf.indexOf(SOI_BYTES, this.pos);
    if (start < 0) {
      // Keep a trailing FF: it may be the first half of an SOI.
      const keep = this.buf.length > 0 && this.buf[this.buf.length - 1] === MARKER ? 1 : 0;
      this.skippedBytes += this.buf.length - keep;
      this.buf = this.buf.subarray(this.buf.length - keep);
      this.pos = 0;
      return false;
    }
    this.skippedBytes += start;
    this.buf = this.buf.subarray(start);
    this.pos = 2;
    this.width = 0;
    this.height = 0;
    this.state = 'segments';
    return true;
  }

  private readSegment(): boolean {
    const b = this.buf;
    if (this.pos + 2 > b.length) return false;
    if (b[this.pos] !== MARKER) {
      this.resync(this.pos);
      return true;
    }
    const marker = b[this.pos + 1];
    if (marker === MARKER) {
      this.pos += 1; // fill byte
      return true;
    }
    if (marker === EOI) {
      this.emitFrame(this.pos + 2);
      return true;
    }
    if (marker === SOI) {
      // A new image started before this one ended: drop the truncated one.
      this.resync(this.pos);
      return true;
    }
    if (isStandalone(marker)) {
      this.pos += 2;
      return true;
    }
    if (this.pos + 4 > b.length) return false;
    const length = b.readUInt16BE(this.pos + 2);
    if (length < 2) {
      this.resync(this.pos + 2);
      return true;
    }
    const end = this.pos + 2 + length;
    if (isStartOfFrame(marker)) {
      // SOFn: length(2) precision(1) height(2) width(2)
      if (this.pos + 9 > b.length) return false;
      this.height = b.readUInt16BE(this.pos + 5);
      this.width = b.readUInt16BE(this.pos + 7);
    }
    if (end > b.length) return false;
    this.pos = end;
    if (marker === SOS) this.state = 'entropy';
    return true;
  }

  /** Entropy-coded data: FF 00 is a stuffed byte, FF D0..D7 a restart; any other marker ends it. */
  private scanEntropy(): boolean {
    const b = this.buf;
    let i = this.pos;
    for (;;) {
      i = b.indexOf(MARKER, i);
      if (i < 0 || i + 1 >= b.length) {
        this.pos = i < 0 ? b.length : i;
        return false;
      }
      const next = b[i + 1];
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === MARKER) {
        i += next === MARKER ? 1 : 2;
        continue;
      }
      this.pos = i;
      this.state = 'segments';
      return true;
    }
  }

  private emitFrame(end: number): void {
    // Copy out of the chunk so the frame does not pin the larger pipe buffer in memory.
    const jpeg = Buffer.from(this.buf.subarray(0, end));
    this.buf = this.buf.subarray(end);
    this.pos = 0;
    this.state = 'seek-soi';
    const frame: JpegFrame = { jpeg, width: this.width, height: this.height };
    this.push(frame);
  }

  /** Abandons the current image and looks for the next SOI from `from`. */
  private resync(from: number): void {
    this.skippedBytes += from;
    this.buf = this.buf.subarray(from);
    this.pos = 0;
    this.state = 'seek-soi';
  }
}

const SOI_BYTES = Buffer.from([MARKER, SOI]);

/** Reads width and height from a complete JPEG in memory; null when it is not a JPEG. */
export function readJpegSize(jpeg: Buffer): { width: number; height: number } | null {
  if (jpeg.length < 4 || jpeg[0] !== MARKER || jpeg[1] !== SOI) return null;
  let pos = 2;
  while (pos + 4 <= jpeg.length) {
    if (jpeg[pos] !== MARKER) return null;
    const marker = jpeg[pos + 1];
    if (marker === MARKER) {
      pos += 1;
      continue;
    }
    if (isStandalone(marker)) {
      pos += 2;
      continue;
    }
    if (marker === SOS || marker === EOI) return null;
    const length = jpeg.readUInt16BE(pos + 2);
    if (isStartOfFrame(marker) && pos + 9 <= jpeg.length) {
      return { height: jpeg.readUInt16BE(pos + 5), width: jpeg.readUInt16BE(pos + 7) };
    }
    pos += 2 + length;
  }
  return null;
}

/**
 * True when the buffer starts with a JPEG SOI marker. Only the start is checked: some cameras pad
 * their JPEGs after EOI, and a decoder copes with that.
 */
export function isJpeg(data: unknown): data is Buffer {
  return Buffer.isBuffer(data) && data.length >= 4 && data[0] === MARKER && data[1] === SOI;
}
