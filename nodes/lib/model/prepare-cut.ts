/**
 * Makes the head-cut variant of an export file: read, cut (head-cut.ts), run in ONNX Runtime at the
 * export size and a non-square one (model-check.ts), and only then write it (atomically). Shared by
 * `npm run model` (tools/prepare-model.ts) and `npm run fetch:model` (models/fetch-model.mjs).
 */
import { BOX_CHANNELS, DFL_BINS } from '../yolo/level-decode';
import { cutDetectHead, HeadCutError, type HeadCut } from './head-cut';
import { checkCutModel, defaultCheckSizes, sizeText, type ImageSize, type SizeCheck } from './model-check';
import { readModelFile, writeModelFile } from './model-file';

export interface CutReport extends Omit<HeadCut, 'model'> {
  input: string;
  output: string;
  checks: SizeCheck[];
}

/**
 * Writes the head-cut variant of the export `input` to `output` after checking it runs at `sizes`
 * (default: the export size and 320x256). Throws an Error that says why when the model cannot be cut,
 * does not run, or cannot run at other sizes; `output` is then not written.
 */
export async function prepareCutModel(
  input: string,
  output: string,
  sizes?: ImageSize[],
): Promise<CutReport> {
  const model = readModelFile(input);
  let cut: HeadCut;
  try {
    cut = cutDetectHead(model);
  } catch (err) {
    if (err instanceof HeadCutError) throw new HeadCutError(`${input} cannot be cut: ${err.message}`);
    throw err;
  }
  const { model: cutModel, ...rest } = cut;
  const exportSize = cut.head.exportSize;
  let checks: SizeCheck[];
  try {
    checks = await checkCutModel(cutModel, sizes ?? defaultCheckSizes(exportSize), exportSize);
  } catch (err) {
    throw new Error(`${input}: ${(err as Error).message}`);
  }
  writeModelFile(output, cutModel);
  return { ...rest, input, output, checks };
}

/** The report in a few lines, for a terminal. */
export function describeCut(report: CutReport): string[] {
  const { head } = report;
  const channels = head.levels[0]?.channels ?? 0;
  return [
    `${report.input} -> ${report.output}`,
    `  levels: ${head.levels.length}, strides ${head.levels.map((l) => l.stride).join(', ')} (${head.levels.map((l) => l.tensor).join(', ')})`,
    `  channels per level: ${channels} = ${BOX_CHANNELS} box (4 sides x ${DFL_BINS} DFL bins) + ${head.classCount} classes`,
    `  nodes: ${report.nodesBefore} -> ${report.nodesAfter}, initializers: ${report.initializersBefore} -> ${report.initializersAfter}`,
    `  input: ${head.input} [1, 3, height, width], exported at ${head.exportSize ? sizeText(head.exportSize) : 'an unknown size'}`,
    ...report.checks.map(
      (c) => `  runs at ${sizeText(c)}: ${c.outputs.map((o) => `[${o.dims.join(', ')}]`).join(' ')}`,
    ),
  ];
}
