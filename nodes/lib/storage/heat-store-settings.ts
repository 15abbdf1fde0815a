import path from 'node:path';
import { numberSetting } from '../settings/editor-fields';

/** heatmap-store's editor fields, as Node-RED hands them over. */
export interface HeatStoreFields {
  directory?: unknown;
  autosave?: unknown;
  keepHourly?: unknown;
  answerOwnOutput?: unknown;
}

export interface HeatStoreSettings {
  /** Absolute: the field resolved against the Node-RED user directory. */
  directory: string;
  /** How the answers name the directory: relative to the user directory, else by its name. */
  shownDirectory: string;
  /** Seconds between autosaves; 0: only on save and on close. */
  autosaveSeconds: number;
  /** Keep one snapshot per hour besides the day's latest. */
  keepHourly: boolean;
  /**
   * Answer a save asked over HTTP on output 3 (its own). A node saved before the setting existed has
   * no such field and answers on output 1 with the notices, as it did then, so an old flow whose
   * http response hangs on output 1 keeps being answered.
   */
  answerOwnOutput: boolean;
}

export const DEFAULT_HEAT_DIRECTORY = path.join('data', 'saved_heatmaps');

/** The store's settings from its fields, or what is wrong with them. */
export function parseHeatStoreSettings(
  fields: HeatStoreFields,
  userDir: string,
): HeatStoreSettings | { error: string } {
  const field = typeof fields.directory === 'string' ? fields.directory.trim() : '';
  const directory = path.resolve(userDir, field || DEFAULT_HEAT_DIRECTORY);
  const autosaveSeconds = numberSetting(fields.autosave, 300);
  if (!(autosaveSeconds >= 0)) {
    return { error: 'autosave must be a number of seconds (0: only on save and on close)' };
  }
  const shownDirectory = directory.startsWith(path.resolve(userDir) + path.sep)
    ? path.relative(userDir, directory)
    : path.basename(directory);
  return {
    directory,
    shownDirectory,
    autosaveSeconds,
    keepHourly: fields.keepHourly === true,
    answerOwnOutput: fields.answerOwnOutput === true,
  };
}
