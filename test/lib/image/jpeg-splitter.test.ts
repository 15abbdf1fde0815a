import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { JpegFrame, JpegSplitter, isJpeg, readJpegSize } from '../../../nodes/lib/image/jpeg-splitter';
import { clipMjpegStream } from '../../../support/video/clip-frame';

/** A minimal structurally valid JPEG: SOI, APPn segments, SOF0 with the size, SOS, scan, EOI. */
function fakeJpeg(width: number, height: number, scan: number[], extraSegments: Buffer[] = []): Buffer {
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    1,
    1,
    0x11,
    0,
  ]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...extraSegments,
    sof,
    sos,
    Buffer.from(scan),
    Buffer.from([0xff, 0xd9]),
  ]);
}

function split(chunks: Buffer[]): { frames: JpegFrame[]; splitter: JpegSplitter } {
  const splitter = new JpegSplitter();
  const frames: JpegFrame[] = [];
  splitter.on('data', (f: JpegFrame) => frames.push(f));
  for (const chunk of chunks) splitter.write(chunk);
  splitter.end();
  return { frames, splitter };
}

/** Cuts a buffer into chunks of the given size, as a pipe would deliver it. */
function chunked(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

describe('JPEG splitter', () => {
  it('cuts concatenated images apart whatever the chunk boundaries', () => {
    const a = fakeJpeg(768, 576, [1, 2, 0xff, 0x00, 3, 0xff, 0xd3, 4]);
    const b = fakeJpeg(640, 360, [9, 8, 7]);
    const stream = Buffer.concat([a, b, a]);
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const { frames, splitter } = split(chunked(stream, size));
      assert.deepEqual(
        frames.map((f) => [f.width, f.height, f.jpeg.length]),
        [
          [768, 576, a.length],
          [640, 360, b.length],
          [768, 576, a.length],
        ],
        `chunk size ${size}`,
      );
      assert.ok(frames[1].jpeg.equals(b));
      assert.equal(splitter.skippedBytes, 0);
    }
  });

  it('is not fooled by an EXIF thumbnail (a whole JPEG inside APP1)', () => {
    const thumbnail = fakeJpeg(16, 12, [5, 5]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, thumbnail.length + 2]), thumbnail]);
    const image = fakeJpeg(1920, 1080, [1, 2, 3], [app1]);
    const { frames } = split(chunked(image, 5));
    assert.equal(frames.length, 1);
    assert.equal(frames[0].width, 1920);
    assert.ok(frames[0].jpeg.equals(image));
  });

  it('skips garbage before an image and drops an image cut off in its data', () => {
    const good = fakeJpeg(320, 240, [1]);
    // A camera connection lost mid-frame: the scan data stops and the next image begins.
    const whole = fakeJpeg(320, 240, [1, 2, 3, 4, 5, 6]);
    const truncated = whole.subarray(0, whole.length - 5);
    const { frames, splitter } = split([Buffer.from('garbage!'), truncated, good, good.subarray(0, 10)]);
    assert.equal(frames.length, 1);
    assert.ok(frames[0].jpeg.equals(good));
    assert.equal(splitter.skippedBytes, 8 + truncated.length + 10);
  });

  it("splits ffmpeg's real MJPEG output of the demo clip into decodable frames", () => {
    const stream = clipMjpegStream(['-frames:v', '12']);
    const { frames, splitter } = split(chunked(stream, 65536));
    assert.equal(frames.length, 12);
    assert.equal(splitter.skippedBytes, 0);
    for (const frame of frames) {
      assert.deepEqual([frame.width, frame.height], [768, 576]);
      assert.deepEqual(readJpegSize(frame.jpeg), { width: 768, height: 576 });
      assert.ok(isJpeg(frame.jpeg));
    }
    // ffmpeg itself decodes a frame we cut out.
    const probe = execFileSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-f', 'mjpeg', '-i', 'pipe:0', '-f', 'null', '-'],
      {
        input: frames[5].jpeg,
      },
    );
    assert.equal(probe.length, 0);
  });

  it('tells a JPEG from other data', () => {
    assert.equal(isJpeg(Buffer.from('not an image')), false);
    assert.equal(isJpeg('ffd8'), false);
    assert.equal(readJpegSize(Buffer.from([1, 2, 3, 4])), null);
  });
});
