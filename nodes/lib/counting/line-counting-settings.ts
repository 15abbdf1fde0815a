import { numberSetting } from '../settings/editor-fields';
import { Areas, areasSetting } from './areas';
import { DEFAULT_LINE_COUNTER, LineCounterOptions } from './line-counter';

/** line-counter's settings, read from its editor fields. */
export interface LineCountingSettings {
  lines: Areas;
  options: LineCounterOptions;
  /** Local hour at which occupancy goes back to 0 (null: midnight). */
  occupancyResetHour: number | null;
  /** Whether the node reports occupancy (msg.footfall.occupancy is null when not). */
  keepsOccupancy: boolean;
}

/** The editor's fields of line-counter that shape its counting. */
export interface LineCounterFields {
  lines?: unknown;
  bandPx?: unknown;
  minSideSeconds?: unknown;
  occupancy?: unknown;
  occupancyResetHour?: unknown;
}

/** Reads line-counter's fields; throws with what is wrong, in the words its status shows. */
export function lineCountingSettings(fields: LineCounterFields): LineCountingSettings {
  let lines: Areas;
  try {
    lines = areasSetting(fields.lines, 'lines');
  } catch (err) {
    throw new Error(`the lines cannot be read: ${(err as Error).message}`);
  }
  const options: LineCounterOptions = {
    ...DEFAULT_LINE_COUNTER,
    bandPx: numberSetting(fields.bandPx, DEFAULT_LINE_COUNTER.bandPx),
    minSideSeconds: numberSetting(fields.minSideSeconds, DEFAULT_LINE_COUNTER.minSideSeconds),
  };
  const resetHourText = String(fields.occupancyResetHour ?? '').trim();
  const resetHour = resetHourText === '' ? null : Number(resetHourText);
  if (
    !(options.bandPx >= 0 && options.bandPx <= 200) ||
    !(options.minSideSeconds >= 0 && options.minSideSeconds <= 10) ||
    !(resetHour === null || (Number.isInteger(resetHour) && resetHour >= 0 && resetHour <= 23))
  ) {
    throw new Error(
      'check the settings: band 0-200 px, time on the new side 0-10 s, occupancy reset hour empty or 0-23',
    );
  }
  return { lines, options, occupancyResetHour: resetHour, keepsOccupancy: fields.occupancy !== false };
}
