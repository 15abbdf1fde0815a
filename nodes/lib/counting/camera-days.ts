import { CameraSelection, selected } from '../control/command';
import { beginsLaterDay, dayFolder } from '../time/local-day';

/** A camera's saved day on disk (JsonFile fits): written a while after a change, atomically. */
export interface DayFile {
  /** The saved content, null when there is none; throws on a damaged file. */
  read(): unknown;
  changed(content: () => unknown): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** What a counting node keeps of one camera's day: line-counter its footfall, zone-monitor its zones. */
export interface DayBook {
  /** The day's numbers in their saved form. */
  toFile(day: string, now: number): unknown;
  /** Takes back the numbers saved for `day` (a restart); false, and nothing changes, for another day's. */
  restore(file: unknown, day: string): boolean;
  /** Midnight: the numbers start again for `day` (what carries over, such as people inside, is the book's rule). */
  startDay(day: string): void;
  /** The `reset` command at `now`: the day's numbers back to 0. */
  reset(now: number): void;
  /** Draws the areas for frames of this size (a first frame, a new size, new areas); the day's numbers stay. */
  draw(width: number, height: number): void;
  /** The day's numbers in a few words, for the log when the day ends ("12 in, 9 out"). */
  summary(): string;
}

/** One camera's day: its book, the day it counts and that day's file. */
export interface CameraDay<B extends DayBook> {
  readonly cameraId: string;
  readonly book: B;
  /** YYYYMMDD, local time. */
  day: string;
  file: DayFile;
  /** The frame size the areas are drawn for (0: not drawn yet, or to draw again). */
  width: number;
  height: number;
}

/** Where a counting node's days go, and what it has to say about them. */
export interface DaysIo {
  /** The file of a camera's day. */
  fileOf(cameraId: string, day: string): DayFile;
  /** A day taken back or finished, for the log. */
  log(text: string): void;
  /** A saved day that could not be read (the day goes on from 0; the next save replaces the file). */
  error(text: string): void;
}

export interface CameraDaysOptions<B extends DayBook> extends DaysIo {
  /** What the book holds, for the log ("counts", "zone numbers"). */
  what: string;
  /** A camera's empty book on its first frame, captured at `at`. */
  newBook(cameraId: string, at: number): B;
}

/**
 * The days of a counting node's cameras (line-counter and zone-monitor share it): per camera, the day
 * it counts, the day's file taken back on its first frame, a new day at midnight (one rule,
 * `beginsLaterDay`: the frame's local calendar day) with the finished day written and closed, and
 * the saving in between.
 */
export class CameraDays<B extends DayBook> {
  private readonly cameras = new Map<string, CameraDay<B>>();

  constructor(private readonly options: CameraDaysOptions<B>) {}

  get size(): number {
    return this.cameras.size;
  }

  all(): CameraDay<B>[] {
    return [...this.cameras.values()];
  }

  /** The camera's day for a frame captured at `at`, of `width` x `height`: opened, moved on and drawn as needed. */
  dayOf(cameraId: string, at: number, width: number, height: number): CameraDay<B> {
    const camera = this.cameras.get(cameraId) ?? this.open(cameraId, at, width, height);
    if (beginsLaterDay(camera.day, at)) this.nextDay(camera, at);
    if (camera.width !== width || camera.height !== height) {
      camera.book.draw(width, height);
      camera.width = width;
      camera.height = height;
    }
    return camera;
  }

  /** The day changed: written within the file's delay. */
  save(camera: CameraDay<B>): void {
    const { book, day } = camera;
    camera.file.changed(() => book.toFile(day, Date.now()));
  }

  /** The `reset` command: the selected cameras' days back to 0, on disk at once. Returns their ids. */
  reset(selection: CameraSelection, now: number): string[] {
    const ids = selected(selection, this.cameras.keys());
    for (const id of ids) {
      const camera = this.cameras.get(id)!;
      camera.book.reset(now);
      this.save(camera);
      void camera.file.flush();
    }
    return ids;
  }

  /** New areas: every camera draws them at its next frame; the days' numbers stay. */
  redrawAll(): void {
    for (const camera of this.cameras.values()) camera.width = camera.height = 0;
  }

  /** Writes what is pending and forgets the cameras (the node closes). */
  async close(): Promise<void> {
    const closing = [...this.cameras.values()].map((c) => c.file.close());
    this.cameras.clear();
    await Promise.all(closing);
  }

  /** A camera's first frame: its book, drawn, with the day's saved numbers taken back. */
  private open(cameraId: string, at: number, width: number, height: number): CameraDay<B> {
    const day = dayFolder(at);
    const camera: CameraDay<B> = {
      cameraId,
      book: this.options.newBook(cameraId, at),
      day,
      file: this.options.fileOf(cameraId, day),
      width,
      height,
    };
    camera.book.draw(width, height);
    try {
      if (camera.book.restore(camera.file.read(), day)) {
        this.options.log(`${cameraId}: restored today's ${this.options.what}`);
      }
    } catch (err) {
      this.options.error(`${cameraId}: ${(err as Error).message}`);
    }
    this.cameras.set(cameraId, camera);
    return camera;
  }

  /** Midnight: the finished day's file is complete and closed; the new day has its own. */
  private nextDay(camera: CameraDay<B>, at: number): void {
    const finished = camera.book.toFile(camera.day, Date.now());
    camera.file.changed(() => finished);
    void camera.file.close();
    this.options.log(`${camera.cameraId}: ${camera.day} ended with ${camera.book.summary()}`);
    camera.day = dayFolder(at);
    camera.book.startDay(camera.day);
    camera.file = this.options.fileOf(camera.cameraId, camera.day);
  }
}
