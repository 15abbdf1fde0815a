import { numberSetting } from '../settings/editor-fields';
import { DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './byte-tracker';

/** The tracker node's editor fields: the tracker options, as strings from the form. */
export type TrackerFields = { [K in keyof TrackerOptions]?: string | number };

const OPTION_LIMITS: { [K in keyof TrackerOptions]: [min: number, max: number] } = {
  trackActivationThreshold: [0.01, 1],
  lowScoreThreshold: [0, 1],
  minimumMatchingIou: [0.01, 1],
  lostTrackBufferSeconds: [0, 600],
  minimumHitsToConfirm: [1, 100],
  reidSimilarityThreshold: [0, 1],
  maximumSpeedHeightsPerSecond: [0, 100],
  appearanceVetoThreshold: [0, 1],
};

/** The tracker options from the node's fields (a blank field: the default), or what is wrong with them. */
export function trackerOptionsOf(fields: TrackerFields): TrackerOptions | string {
  const options = { ...DEFAULT_TRACKER_OPTIONS };
  for (const key of Object.keys(OPTION_LIMITS) as Array<keyof TrackerOptions>) {
    const value = numberSetting(fields[key], DEFAULT_TRACKER_OPTIONS[key]);
    const [min, max] = OPTION_LIMITS[key];
    if (!(value >= min && value <= max)) return `${key} must be between ${min} and ${max}`;
    options[key] = value;
  }
  if (options.lowScoreThreshold > options.trackActivationThreshold) {
    return 'lowScoreThreshold must not be above trackActivationThreshold';
  }
  return options;
}
