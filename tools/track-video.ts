#!/usr/bin/env node
/**
 * Offline runner: the detector and tracker of the yolo-detect and tracker nodes, with the nodes'
 * default settings, over every frame of a video file; writes MOTChallenge tracks
 * (frame,id,left,top,width,height,score,-1,-1,-1; frames 1-based in decode order). With --areas and
 * --events it also counts line crossings and zone visits with the counting core's defaults and writes
 * one JSON event per line: {"frame", "trackId", "line", "direction"} and {"frame", "trackId", "zone",
 * "event": "enter" | "exit", "dwellSeconds" on exit}; visits still open at the end exit at the last frame.
 *
 *   npm run track -- --input media/vtest.avi --mot tracks.txt [--areas areas.json --events events.jsonl]
 *     [--model models/yolov8n.onnx]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAreas } from '../nodes/lib/counting/areas';
import { LineCounter } from '../nodes/lib/counting/line-counter';
import { ZoneMonitor } from '../nodes/lib/counting/zone-monitor';
import { JpegFrame, JpegSplitter } from '../nodes/lib/image/jpeg-splitter';
import { ByteTracker } from '../nodes/lib/track/byte-tracker';
import { findFfmpeg } from '../nodes/lib/video/ffmpeg-path';
import { SharedDetector } from '../nodes/lib/yolo/shared-detector';
import { defaultModelPath } from '../nodes/shared/package-root';

/** The yolo-detect node's defaults. */
const DETECT = { scoreThreshold: 0.5, iouThreshold: 0.7, classes: [0] };

function frameRate(ffmpeg: string, input: string): number {
  // ffmpeg prints the stream's rate ("10 fps") on stderr when given no output.
  let text = '';
  try {
    execFileSync(ffmpeg, ['-hide_banner', '-i', input], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    text = String((err as { stderr?: Buffer }).stderr ?? '');
  }
  const match = /(\d+(?:\.\d+)?) fps/.exec(text) ?? /(\d+(?:\.\d+)?) tbr/.exec(text);
  if (!match) throw new Error(`cannot read the frame rate of ${input}: is it a video?`);
  return Number(match[1]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      mot: { type: 'string' },
      model: { type: 'string' },
      threads: { type: 'string', default: '2' },
      areas: { type: 'string' },
      events: { type: 'string' },
    },
  });
  if (!values.input || !values.mot || Boolean(values.areas) !== Boolean(values.events)) {
    throw new Error(
      'usage: npm run track -- --input <video> --mot <out.txt> [--areas <areas.json> --events <events.jsonl>] [--model <model.onnx>]',
    );
  }
  let areas = null;
  if (values.areas) {
    try {
      areas = parseAreas(JSON.parse(readFileSync(values.areas, 'utf8')));
    } catch (err) {
      throw new Error(`cannot read the areas in ${values.areas}: ${(err as Error).message}`);
    }
  }
  const lines = areas ? new LineCounter(areas.lines) : null;
  const zones = areas ? new ZoneMonitor(areas.zones) : null;
  const events = values.events ? createWriteStream(values.events) : null;
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new Error('ffmpeg not found: install ffmpeg or set FFMPEG_PATH');
  const fps = frameRate(ffmpeg.path, values.input);
  const detector = SharedDetector.acquire(values.model ?? defaultModelPath(), {
    threads: Number(values.threads),
    executionProvider: 'cpu',
  });
  const client = detector.client();
  const tracker = new ByteTracker();
  const out = createWriteStream(values.mot);
  const frameOf = (at: number) => Math.round((at * fps) / 1000) + 1;
  const writeZoneEvents = (list: ReturnType<ZoneMonitor['update']>) => {
    for (const e of list) {
      const { zone, event, trackId, dwellSeconds } = e;
      events!.write(
        `${JSON.stringify({ frame: frameOf(e.at), trackId, zone, event, ...(dwellSeconds === undefined ? {} : { dwellSeconds: Number(dwellSeconds.toFixed(2)) }) })}\n`,
      );
    }
  };
  const writeCrossings = (list: ReturnType<LineCounter['update']>) => {
    for (const c of list) {
      events!.write(
        `${JSON.stringify({ frame: frameOf(c.at), trackId: c.trackId, line: c.line, direction: c.direction })}\n`,
      );
    }
  };
  let lastAt = 0;
  const started = performance.now();
  let frames = 0;
  let inferenceMs = 0;
  try {
    await detector.ready;
    // Every frame in decode order, as JPEG (as rtsp-in delivers them), at full speed.
    const decoder = spawn(
      ffmpeg.path,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-i',
        values.input,
        '-an',
        '-vsync',
        'passthrough',
        '-c:v',
        'mjpeg',
        '-q:v',
        '5',
        '-f',
        'image2pipe',
        'pipe:1',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => decoder.on('close', resolve));
    const splitter = decoder.stdout.pipe(new JpegSplitter());
    for await (const frame of splitter as AsyncIterable<JpegFrame>) {
      frames++;
      const outcome = await client.detect(frame.jpeg, DETECT);
      if (outcome.kind !== 'done') throw new Error('a frame was dropped: the runner waits for each frame');
      inferenceMs += outcome.result.timings.inferenceMs;
      const at = Math.round(((frames - 1) * 1000) / fps);
      lastAt = at;
      const tracks = tracker.update(outcome.result.detections, at);
      if (lines && zones && events) {
        writeCrossings(lines.update(tracks, at));
        writeZoneEvents(zones.update(tracks, at));
      }
      for (const t of tracks) {
        const [x1, y1, x2, y2] = t.box;
        out.write(
          `${frames},${t.id},${x1.toFixed(2)},${y1.toFixed(2)},${(x2 - x1).toFixed(2)},${(y2 - y1).toFixed(2)},${t.score.toFixed(3)},-1,-1,-1\n`,
        );
      }
    }
    const code = await exited;
    if (code !== 0) throw new Error(`ffmpeg could not decode ${values.input} (exit code ${code})`);
    if (lines && zones && events) {
      writeCrossings(lines.closeAll());
      writeZoneEvents(zones.closeAll(lastAt));
    }
  } finally {
    client.close();
    await detector.release();
    await new Promise<void>((resolve) => out.end(resolve));
    if (events) await new Promise<void>((resolve) => events.end(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${path.basename(values.input)}: ${frames} frames, ${tracker.uniqueCount} tracks, ` +
      `${(frames / seconds).toFixed(1)} fps (inference ${(inferenceMs / frames).toFixed(0)} ms/frame), ` +
      `tracks written to ${values.mot}`,
  );
  if (lines && zones) {
    for (const [name, c] of Object.entries(lines.totals()))
      console.log(`line ${name}: ${c.in} in, ${c.out} out`);
    for (const [name, z] of Object.entries(zones.statistics())) {
      const median = z.medianDwellSeconds === null ? '-' : `${z.medianDwellSeconds.toFixed(1)} s`;
      console.log(
        `zone ${name}: ${z.visits} visits, median dwell ${median}, ${z.personSeconds.toFixed(1)} person-s`,
      );
    }
    console.log(`events written to ${values.events}`);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
