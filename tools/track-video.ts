#!/usr/bin/env node
/**
 * Offline runner: the detector and tracker of the yolo-detect and tracker nodes, with the nodes'
 * default settings, over every frame of a video file; writes MOTChallenge tracks
 * (frame,id,left,top,width,height,score,-1,-1,-1; frames 1-based in decode order).
 *
 *   npm run track -- --input media/vtest.avi --mot tracks.txt [--model models/yolov8n.onnx]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
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
    },
  });
  if (!values.input || !values.mot) {
    throw new Error('usage: npm run track -- --input <video> --mot <out.txt> [--model <model.onnx>]');
  }
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
      for (const t of tracker.update(outcome.result.detections, at)) {
        const [x1, y1, x2, y2] = t.box;
        out.write(
          `${frames},${t.id},${x1.toFixed(2)},${y1.toFixed(2)},${(x2 - x1).toFixed(2)},${(y2 - y1).toFixed(2)},${t.score.toFixed(3)},-1,-1,-1\n`,
        );
      }
    }
    const code = await exited;
    if (code !== 0) throw new Error(`ffmpeg could not decode ${values.input} (exit code ${code})`);
  } finally {
    client.close();
    await detector.release();
    await new Promise<void>((resolve) => out.end(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${path.basename(values.input)}: ${frames} frames, ${tracker.uniqueCount} tracks, ` +
      `${(frames / seconds).toFixed(1)} fps (inference ${(inferenceMs / frames).toFixed(0)} ms/frame), ` +
      `tracks written to ${values.mot}`,
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
