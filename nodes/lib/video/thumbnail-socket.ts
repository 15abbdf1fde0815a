import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The size of a small grey picture ffmpeg makes beside each JPEG (for the motion gate). */
export interface ThumbnailSize {
  width: number;
  height: number;
}

/** The sockets' directories: `<prefix><pid>-<random>` in the temporary directory. */
const DIRECTORY_PREFIX = 'store-analytics-thumbnails-';

/**
 * Where one ffmpeg run writes its second output, raw grey thumbnails of `size`: a Unix socket that
 * ffmpeg connects to as a client (`unix:<path>`), so the child process needs no extra pipe. It sits in
 * a directory of its own (mode 0700): no other user or process can take or remove it. Keeps the newest
 * whole thumbnail.
 */
export class ThumbnailSocket {
  /** The newest complete thumbnail ffmpeg wrote, or null before the first. */
  latest: Buffer | null = null;

  private constructor(
    private readonly server: Server,
    readonly path: string,
  ) {}

  /** Listens for ffmpeg; null when the socket cannot be opened (the camera then goes without). */
  static open(size: ThumbnailSize): Promise<ThumbnailSocket | null> {
    let file: string;
    try {
      removeStaleDirectories();
      file = path.join(
        mkdtempSync(path.join(tmpdir(), `${DIRECTORY_PREFIX}${process.pid}-`)),
        'thumbnails.sock',
      );
    } catch {
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const server = createServer((connection) => {
        const bytes = size.width * size.height;
        let parts: Buffer[] = [];
        let have = 0;
        connection.on('data', (chunk: Buffer) => {
          // Raw frames of `bytes` bytes each, cut anywhere by the socket: kept whole, newest wins.
          let offset = 0;
          while (offset < chunk.length) {
            const take = Math.min(bytes - have, chunk.length - offset);
            parts.push(chunk.subarray(offset, offset + take));
            have += take;
            offset += take;
            if (have === bytes) {
              socket.latest = Buffer.concat(parts, bytes);
              parts = [];
              have = 0;
            }
          }
        });
        connection.on('error', () => {
          /* ffmpeg's end is reported by its exit */
        });
      });
      const socket = new ThumbnailSocket(server, file);
      server.once('error', () => {
        removeDirectoryOf(file);
        resolve(null);
      });
      server.listen(file, () => resolve(socket));
    });
  }

  /** Stops listening and removes the socket's directory. */
  close(): void {
    this.server.close();
    removeDirectoryOf(this.path);
  }
}

function removeDirectoryOf(file: string): void {
  try {
    rmSync(path.dirname(file), { recursive: true, force: true });
  } catch {
    // Left in the temporary directory: harmless, and no reason to stop the camera.
  }
}

/**
 * Removes the socket directories of processes that are gone (a Node-RED killed with SIGKILL, or a
 * power cut, could not remove its own), so they do not pile up in the temporary directory. At each
 * ffmpeg start: one directory listing, rare next to the frames.
 */
function removeStaleDirectories(): void {
  try {
    for (const name of readdirSync(tmpdir())) {
      const pid = Number(/^store-analytics-thumbnails-(\d+)-/.exec(name)?.[1]);
      if (!pid || pid === process.pid || isRunning(pid)) continue;
      rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
    }
  } catch {
    // Not ours to remove, or gone meanwhile: nothing depends on it.
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
