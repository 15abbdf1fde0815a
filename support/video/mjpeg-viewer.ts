import http from 'node:http';

/**
 * A viewer of an MJPEG stream that counts frames and throws the bytes away (keeping them would
 * grow the benchmark's own memory and spoil the RSS figures).
 */
export class CountingMjpegViewer {
  frames = 0;
  bytes = 0;
  statusCode = 0;
  private readonly req: http.ClientRequest;
  private tail = '';

  constructor(url: string) {
    this.req = http.get(url, (res) => {
      this.statusCode = res.statusCode ?? 0;
      res.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
        // Part headers are ASCII; look for them across chunk borders too.
        const text = this.tail + chunk.toString('latin1');
        this.frames += text.split('Content-Type: image/jpeg').length - 1;
        this.tail = text.slice(-23); // shorter than the marker: never counted twice
      });
      res.on('error', () => {});
    });
    this.req.on('error', () => {});
  }

  close(): void {
    this.req.destroy();
  }
}
