#!/usr/bin/env node
/**
 * Offline runner: the detector and tracker of the yolo-detect and tracker nodes, with the nodes'
 * default settings, over every frame of a video file; writes MOTChallenge tracks for every frame
 * (frame,id,left,top,width,height,score,-1,-1,-1; frames 1-based in decode order). With --areas and
 * --events it also counts line crossings and zone visits with the counting core's defaults and writes
 * one JSON event per line: {"frame", "trackId", "line", "direction"} and {"frame", "trackId", "zone",
 * "event": "enter" | "exit", "dwellSeconds" on exit}; visits still open at the end exit at the last frame.
 *
 *   npm run track -- --input media/vtest.avi --mot tracks.txt [--input-size <long side>]
 *     [--detect-every N] [--motion] [--areas areas.json --events events.jsonl] [--model <model.onnx>]
 *
 * --model defaults to the node's (models/yolov8n-cut.onnx); --input-size is the long side of the
 * model input, as yolo-model's Input size (default auto, which here, one frame after another with
 * nothing dropped, is 512; a model with a fixed input ignores it).
 *
 * --detect-every N runs the model on frames 1, 1+N, 1+2N ... and the tracker predicts the frames
 * between (as yolo-detect's "detect every N" does). --motion adds yolo-detect's motion gate: a frame
 * goes to the model only when its policy asks (motion, people kept alive, a refresh now and then), N
 * then being the ceiling.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAreas } from '../nodes/lib/counting/areas';
import { LineCounter } from '../nodes/lib/counting/line-counter';
import { ZoneMonitor } from '../nodes/lib/counting/zone-monitor';
import { greyThumbnail, MOTION_THUMBNAIL } from '../nodes/lib/motion/grey-thumbnail';
import { MotionDetector, wantsModel } from '../nodes/lib/motion/motion-detector';
import { ByteTracker, type TrackedObject } from '../nodes/lib/track/byte-tracker';
import { findFfmpeg } from '../nodes/lib/video/ffmpeg-path';
import { CameraDetectionPolicy, DEFAULT_DETECTION_POLICY } from '../nodes/lib/yolo/detection-policy';
import { inputSizeSetting } from '../nodes/lib/yolo/input-size-setting';
import { SharedDetector } from '../nodes/lib/yolo/shared-detector';
import { defaultModelPath } from '../nodes/shared/package-root';
import { frameRate, videoJpegFrames } from '../support/video/video-frames';

/** The yolo-detect node's defaults. */
const DETECT = { scoreThreshold: 0.5, iouThreshold: 0.7, classes: [0] };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      mot: { type: 'string' },
      model: { type: 'string' },
      'input-size': { type: 'string', default: 'auto' },
      threads: { type: 'string', default: '2' },
      areas: { type: 'string' },
      events: { type: 'string' },
      'detect-every': { type: 'string', default: '1' },
      motion: { type: 'boolean', default: false },
    },
  });
  const usage =
    'usage: npm run track -- --input <video> --mot <out.txt> [--input-size <long side>] [--detect-every <N>] [--motion] [--areas <areas.json> --events <events.jsonl>] [--model <model.onnx>]';
  if (!values.input || !values.mot || Boolean(values.areas) !== Boolean(values.events))
    throw new Error(usage);
  const detectEvery = Number(values['detect-every']);
  if (!(Number.isInteger(detectEvery) && detectEvery >= 1 && detectEvery <= 100)) {
    throw new Error(
      `--detect-every takes a whole number of frames from 1 to 100, not "${values['detect-every']}"\n${usage}`,
    );
  }
  const inputSize = inputSizeSetting(values['input-size']);
  if (inputSize instanceof Error) throw new Error(`--input-size: ${inputSize.message}\n${usage}`);
  // With --motion, as yolo-detect decides; without, exactly frames 1, 1+N, 1+2N ...
  const motion = values.motion ? new MotionDetector() : null;
  const policy = new CameraDetectionPolicy({ ...DEFAULT_DETECTION_POLICY, detectEvery, motionGate: true });
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
    inputSize,
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
  let detected = 0;
  /** MOTChallenge lines of one frame: every confirmed track, detected or predicted. */
  const writeTracks = (tracks: TrackedObject[]) => {
    for (const t of tracks) {
      const [x1, y1, x2, y2] = t.box;
      out.write(
        `${frames},${t.id},${x1.toFixed(2)},${y1.toFixed(2)},${(x2 - x1).toFixed(2)},${(y2 - y1).toFixed(2)},${t.score.toFixed(3)},-1,-1,-1\n`,
      );
    }
  };
  const started = performance.now();
  let frames = 0;
  let inferenceMs = 0;
  try {
    await detector.ready;
    const video = videoJpegFrames(ffmpeg.path, values.input);
    for await (const frame of video.frames) {
      frames++;
      const at = Math.round(((frames - 1) * 1000) / fps);
      lastAt = at;
      let detect = (frames - 1) % detectEvery === 0;
      if (motion) {
        const seen = motion.update(await greyThumbnail(frame.jpeg, MOTION_THUMBNAIL), at);
        detect = policy.decide(at, wantsModel(seen)).detect;
      }
      let tracks: TrackedObject[];
      if (detect) {
        detected++;
        const outcome = await client.detect(frame.jpeg, DETECT);
        if (outcome.kind !== 'done') throw new Error('a frame was dropped: the runner waits for each frame');
        policy.answered(at, outcome.result.detections.length);
        inferenceMs += outcome.result.timings.inferenceMs;
        tracks = tracker.update(outcome.result.detections, at);
      } else {
        tracks = tracker.predict(at);
      }
      // Every frame's tracks, detected or predicted, as the counting nodes get them.
      if (lines && zones && events) {
        writeCrossings(lines.update(tracks, at));
        writeZoneEvents(zones.update(tracks, at));
      }
      writeTracks(tracks);
    }
    const code = await video.exited;
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
      `${(frames / seconds).toFixed(1)} fps, model on ${detected} frames (inference ${(inferenceMs / Math.max(1, detected)).toFixed(0)} ms each), ` +
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
