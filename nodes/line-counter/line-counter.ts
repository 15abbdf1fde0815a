import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { Areas, areasSetting, scaleAreas } from '../lib/counting/areas';
import { FootfallDay } from '../lib/counting/footfall-day';
import {
  Crossing,
  DEFAULT_LINE_COUNTER,
  LineCounter,
  LineCounterOptions,
} from '../lib/counting/line-counter';
import { camerasOf, selected } from '../lib/control/command';
import { JsonFile } from '../lib/storage/json-file';
import { dayFolder } from '../lib/time/local-day';
import { numberSetting } from '../shared/config';
import { countsDirectory, dayFile, FrameTracks, frameOrHandled } from '../shared/counting-input';
import { reportConfigError, Status } from '../shared/status';
import type { CrossingMessage, FootfallMessage } from './line-counter-types';

/** The editor's `defaults`; every key here is a field of line-counter.html. */
interface LineCounterDef extends NodeDef {
  camera: string;
  /** JSON: [{ name, from: [fx, fy], to: [fx, fy] }] in fractions of the frame (or an ${ENV} holding it). */
  lines: string;
  bandPx: string | number;
  minSideSeconds: string | number;
  occupancy: boolean;
  occupancyResetHour: string | number;
  directory: string;
}

const COMMANDS = ['reset', 'areas'] as const;
/** A crossing reaches the disk this soon (a SIGKILL loses at most this much). */
const SAVE_DELAY_MS = 2000;

interface CameraCounting {
  cameraId: string;
  counter: LineCounter;
  width: number;
  height: number;
  day: FootfallDay;
  file: JsonFile;
}

export = function (RED: NodeAPI): void {
  function LineCounterNode(this: Node, config: LineCounterDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const options: LineCounterOptions = {
      ...DEFAULT_LINE_COUNTER,
      bandPx: numberSetting(config.bandPx, DEFAULT_LINE_COUNTER.bandPx),
      minSideSeconds: numberSetting(config.minSideSeconds, DEFAULT_LINE_COUNTER.minSideSeconds),
    };
    const resetHourText = String(config.occupancyResetHour ?? '').trim();
    const resetHour = resetHourText === '' ? null : Number(resetHourText);
    let areas: Areas;
    try {
      areas = areasSetting(config.lines, 'lines');
    } catch (err) {
      reportConfigError(node, `the lines cannot be read: ${(err as Error).message}`);
      return;
    }
    if (
      !(options.bandPx >= 0 && options.bandPx <= 200) ||
      !(options.minSideSeconds >= 0 && options.minSideSeconds <= 10) ||
      !(resetHour === null || (Number.isInteger(resetHour) && resetHour >= 0 && resetHour <= 23))
    ) {
      reportConfigError(
        node,
        'check the settings: band 0-200 px, time on the new side 0-10 s, occupancy reset hour empty or 0-23',
      );
      return;
    }
    const onlyCamera = (config.camera ?? '').trim();
    const directory = countsDirectory(RED, config.directory);
    const cameras = new Map<string, CameraCounting>();
    let lastStatusAt = 0;
    node.status(
      areas.lines.length === 0
        ? Status.idle('no lines: open the node and draw one on the camera picture')
        : Status.idle('waiting for tracks'),
    );

    const reportSaveError = (err: Error) => {
      node.error(`could not save the counts: ${err.message} (kept in memory, retrying)`);
      node.status(Status.error('cannot save the counts, see the log'));
    };

    function fileFor(cameraId: string, at: number): JsonFile {
      return new JsonFile(
        dayFile(directory, at, cameraId, 'footfall', node.id),
        SAVE_DELAY_MS,
        reportSaveError,
      );
    }

    /** A camera's counting, with today's saved counts taken back on its first frame. */
    function countingFor(frame: FrameTracks): CameraCounting {
      let state = cameras.get(frame.cameraId);
      if (state && state.width === frame.width && state.height === frame.height) return state;
      const pixels = scaleAreas(areas, frame.width, frame.height);
      const counter = new LineCounter(pixels.lines, options);
      if (state) {
        // A new frame size (or new lines): the lines are redrawn at it; the day's counts stay.
        state.counter = counter;
        state.width = frame.width;
        state.height = frame.height;
        return state;
      }
      const now = Date.now();
      const day = new FootfallDay(
        areas.lines.map((l) => l.name),
        resetHour,
        now,
      );
      const file = fileFor(frame.cameraId, now);
      try {
        if (day.restore(file.read(), now)) node.log(`${frame.cameraId}: restored today's counts`);
      } catch (err) {
        node.error(`${frame.cameraId}: ${(err as Error).message}`);
      }
      state = { cameraId: frame.cameraId, counter, width: frame.width, height: frame.height, day, file };
      cameras.set(frame.cameraId, state);
      return state;
    }

    function save(state: CameraCounting): void {
      const { day } = state;
      state.file.changed(() => day.toFile(Date.now()));
    }

    function footfallOf(state: CameraCounting): FootfallMessage['footfall'] {
      const totals = state.day.totals();
      return {
        cameraId: state.cameraId,
        ...totals,
        occupancy: config.occupancy === false ? null : totals.occupancy,
      };
    }

    function crossingMessage(state: CameraCounting, c: Crossing, base: NodeMessage): CrossingMessage {
      return {
        _msgid: RED.util.generateId(),
        topic: 'crossing',
        payload: {
          cameraId: state.cameraId,
          line: c.line,
          direction: c.direction,
          trackId: c.trackId,
          at: c.at,
          time: new Date(c.at).toISOString(),
        },
        frame: (base as { frame?: unknown }).frame,
      } as CrossingMessage;
    }

    function showStatus(now: number): void {
      if (now - lastStatusAt < 1000) return;
      lastStatusAt = now;
      const all = [...cameras.values()].map((s) => s.day.totals());
      const sum = (k: 'in' | 'out' | 'occupancy') => all.reduce((a, t) => a + t[k], 0);
      const inside = config.occupancy === false ? '' : `, ${sum('occupancy')} inside`;
      const who = all.length > 1 ? `${all.length} cameras: ` : '';
      node.status(Status.ok(`${who}${sum('in')} in, ${sum('out')} out${inside}`));
    }

    function command(name: (typeof COMMANDS)[number], msg: NodeMessage): void {
      const now = Date.now();
      if (name === 'reset') {
        const ids = selected(camerasOf(msg), cameras.keys());
        for (const id of ids) {
          const state = cameras.get(id)!;
          state.day.reset(now);
          save(state);
          void state.file.flush();
        }
        node.status(Status.idle(`reset ${ids.length ? ids.join(', ') : '(nothing counted yet)'}`));
        return;
      }
      // New lines from the flow (msg.payload: a list of lines or { lines, size }); counts of lines kept stay.
      areas = areasSetting(msg.payload, 'lines');
      for (const state of cameras.values()) {
        state.day.setLines(areas.lines.map((l) => l.name));
        state.width = 0; // redrawn at the next frame
        save(state);
      }
      node.status(Status.idle(`${areas.lines.length} line(s) set by a message`));
    }

    node.on('input', (msg, send, done) => {
      const frame = frameOrHandled(node, msg, done, COMMANDS, (name) => command(name, msg));
      if (!frame) return;
      // Another camera's frame: this node counts one door; the message goes on untouched.
      if ((onlyCamera && frame.cameraId !== onlyCamera) || areas.lines.length === 0) {
        send([msg, null]);
        done();
        return;
      }
      const state = countingFor(frame);
      const finished = state.day.advance(frame.at);
      if (finished) {
        // Midnight: the finished day's file is complete; the new day has its own.
        const last = state.file;
        last.changed(() => ({ version: 1, ...finished, occupancySince: 0, savedAt: Date.now() }));
        void last.close();
        state.file = fileFor(state.cameraId, frame.at);
        node.log(
          `${state.cameraId}: ${dayFolder(frame.at - 86400000)} ended with ${finished.in} in, ${finished.out} out`,
        );
      }
      const crossings = state.counter.update(frame.tracks, frame.at);
      for (const c of crossings) state.day.add(c);
      if (crossings.length > 0) save(state);
      const out = msg as FootfallMessage;
      out.footfall = footfallOf(state);
      send([out, null]);
      for (const c of crossings) send([null, crossingMessage(state, c, msg)]);
      showStatus(Date.now());
      done();
    });

    node.on('close', (done: () => void) => {
      const closing = [...cameras.values()].map((s) => s.file.close());
      cameras.clear();
      node.status(Status.clear());
      void Promise.all(closing).then(() => done());
    });
  }

  RED.nodes.registerType('line-counter', LineCounterNode);
};
