#!/usr/bin/env node
/**
 * Prepares an Ultralytics YOLOv8/YOLO11 detection export for the detector: cuts it at its Detect head's
 * per-stride outputs (nodes/lib/model/head-cut.ts), so that it runs at any input whose sides are
 * multiples of 32, checks the cut in ONNX Runtime at the export size and at 320x256, and writes it.
 *
 *   npm run model -- --input <export.onnx> --output <out.onnx>
 *
 * Exits 1 with the reason when the model cannot be cut (not ONNX, no YOLOv8/YOLO11 Detect head, another
 * box regression, a network fixed to its export size); the output is then not written.
 */
import { parseArgs } from 'node:util';
import { describeCut, prepareCutModel } from '../nodes/lib/model/prepare-cut';

const USAGE = `usage: npm run model -- --input <export.onnx> --output <out.onnx>

Cuts an Ultralytics YOLOv8/YOLO11 detection export (ONNX) at its Detect head's per-stride outputs,
[1, 64 + classes, height/stride, width/stride] for strides 8, 16, 32, so that it runs at any input
whose sides are multiples of 32; checks it in ONNX Runtime at the export size and at 320x256; keeps
the export's metadata (names, stride, licence...) and adds head=levels.

  --input <file>    the Ultralytics export (yolo export model=... format=onnx)
  --output <file>   where to write the cut model (written only when the checks pass)
  --help            this text`;

async function main(): Promise<void> {
  let values: { input?: string; output?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.input || !values.output) throw new Error(`--input and --output are needed\n${USAGE}`);
  const report = await prepareCutModel(values.input, values.output);
  for (const line of describeCut(report)) console.log(line);
}

main().catch((err: Error) => {
  console.error(`prepare-model: ${err.message}`);
  process.exitCode = 1;
});
