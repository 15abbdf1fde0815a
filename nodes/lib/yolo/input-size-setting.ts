import { numberSetting } from '../settings/editor-fields';

/**
 * yolo-model's Input size: 'auto' (the default: the long side follows the load, auto-input-size.ts),
 * a long side in pixels (a multiple of 32), or 0 for the size the model was exported at.
 */
export type InputSizeSetting = number | 'auto';

/** The setting from the editor's field (missing or blank in a flow: auto), or what is wrong with it. */
export function inputSizeSetting(value: unknown): InputSizeSetting | Error {
  if (value === undefined || value === null || value === 'auto' || String(value).trim() === '') return 'auto';
  const side = numberSetting(value as string | number, NaN);
  if (side === 0 || isModelSide(side)) return side;
  return new Error(
    `the input size must be auto, 0 (the model's own) or a multiple of 32 up to 2048, not "${String(value)}"`,
  );
}

/** A long side a free-size model runs at: a multiple of its coarsest stride, 32, up to 2048. */
export function isModelSide(side: number): boolean {
  return Number.isInteger(side) && side >= 32 && side <= 2048 && side % 32 === 0;
}
