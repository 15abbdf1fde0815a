import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write';

/**
 * A small JSON file kept up to date with a state held in memory: changes are written at most every
 * `delayMs` (atomically, so a crash leaves the previous whole file), a failed write is tried again at
 * the next change or the next delay, and the memory stays the truth meanwhile.
 */
export class JsonFile {
  private timer: NodeJS.Timeout | null = null;
  private pending: (() => unknown) | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly delayMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  /** The file's content; null when there is none. Throws on a damaged file. */
  read(): unknown {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${this.path} is damaged (not JSON): the next save replaces it`);
    }
  }

  /** The state changed: `content` is asked for when the write is due. */
  changed(content: () => unknown): void {
    this.pending = content;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Writes what changed now; resolves when it is on disk or has failed (reported, kept pending). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const content = this.pending;
    this.pending = null;
    if (!content) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        await writeFileAtomic(this.path, `${JSON.stringify(content())}\n`);
      } catch (err) {
        this.onError(err as Error);
        // Kept: the next change or the retry writes it (a newer change wins).
        this.pending ??= content;
        this.timer ??= setTimeout(() => {
          this.timer = null;
          void this.flush();
        }, this.delayMs * 5);
      }
    });
    return this.writing;
  }

  /** Writes what is pending and stops retrying. */
  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
