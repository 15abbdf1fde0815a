/**
 * The multipart/x-mixed-replace framing of an MJPEG stream, as browsers, VLC and ffmpeg's
 * `mpjpeg` demuxer read it.
 */
export const MJPEG_BOUNDARY = 'frame';

export function mjpegResponseHeaders(boundary: string = MJPEG_BOUNDARY): Record<string, string> {
  return {
    'Content-Type': `multipart/x-mixed-replace; boundary=${boundary}`,
    // A live stream must never be cached or buffered by a proxy.
    'Cache-Control': 'no-cache, no-store, must-revalidate, private',
    Pragma: 'no-cache',
    Expires: '0',
    'X-Accel-Buffering': 'no',
    Connection: 'close',
  };
}

/** The bytes before one JPEG part; the part ends with CRLF after the JPEG. */
export function mjpegPartHeader(length: number, boundary: string = MJPEG_BOUNDARY): Buffer {
  return Buffer.from(
    `--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${length}\r\n\r\n`,
    'latin1',
  );
}

export const MJPEG_PART_END = Buffer.from('\r\n', 'latin1');
