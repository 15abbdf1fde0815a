import http from 'node:http';

/** A real HTTP client reading an MJPEG stream part by part (using each part's Content-Length). */
export class MjpegTestClient {
  readonly frames: Buffer[] = [];
  contentType = '';
  statusCode = 0;
  private readonly req: http.ClientRequest;
  private buf = Buffer.alloc(0);
  readonly connected: Promise<void>;

  constructor(url: string) {
    let connected: () => void = () => {};
    let failed: (err: Error) => void = () => {};
    this.connected = new Promise((resolve, reject) => {
      connected = resolve;
      failed = reject;
    });
    this.req = http.get(url, (res) => {
      this.statusCode = res.statusCode ?? 0;
      this.contentType = String(res.headers['content-type'] ?? '');
      res.on('data', (chunk: Buffer) => this.onData(chunk));
      res.on('error', () => {});
      connected();
    });
    this.req.on('error', failed);
  }

  close(): void {
    this.req.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buf.subarray(0, headerEnd).toString('latin1');
      const match = /Content-Length: (\d+)/i.exec(header);
      if (!match || !header.includes('--frame')) throw new Error(`bad part header: ${header}`);
      const start = headerEnd + 4;
      const end = start + Number(match[1]);
      if (this.buf.length < end + 2) return;
      this.frames.push(Buffer.from(this.buf.subarray(start, end)));
      this.buf = this.buf.subarray(end + 2);
    }
  }
}
