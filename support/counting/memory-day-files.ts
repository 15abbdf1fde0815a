import type { DayFile } from '../../nodes/lib/counting/camera-days';

/** A day file kept in memory: what a counting controller wrote, without a disk or a timer. */
export class MemoryDayFile implements DayFile {
  private pending: (() => unknown) | null = null;
  closed = false;

  /** `content`: what is on "disk" (an Error: a damaged file that throws on read). */
  constructor(public content: unknown = null) {}

  read(): unknown {
    if (this.content instanceof Error) throw this.content;
    return this.content;
  }

  changed(content: () => unknown): void {
    this.pending = content;
  }

  /** Whether a change waits to be written. */
  get dirty(): boolean {
    return this.pending !== null;
  }

  async flush(): Promise<void> {
    if (this.pending) this.content = JSON.parse(JSON.stringify(this.pending()));
    this.pending = null;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}

/** Day files by `<camera>/<day>`, each opened once at most (a second open of a day gets its file back). */
export class MemoryDayFiles {
  readonly files = new Map<string, MemoryDayFile>();
  readonly opened: string[] = [];

  readonly fileOf = (cameraId: string, day: string): MemoryDayFile => {
    const key = `${cameraId}/${day}`;
    this.opened.push(key);
    let file = this.files.get(key);
    if (!file) this.files.set(key, (file = new MemoryDayFile()));
    return file;
  };

  /** Everything written, as on disk after every pending write. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.flush()));
  }
}
