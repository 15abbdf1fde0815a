import { numberSetting } from '../settings/editor-fields';
import { DEFAULT_HEAT_OPTIONS } from './heat-accumulator';
import { DEFAULT_OVERLAY } from './overlay';
import type { HeatSettings } from './store-heat';

/** The heatmap node's editor fields, as Node-RED hands them over (strings or numbers). */
export interface HeatmapFields {
  cellSize?: unknown;
  radius?: unknown;
  liveWindowMinutes?: unknown;
  maxFrameInterval?: unknown;
  alpha?: unknown;
  overlayFps?: unknown;
  overlayView?: unknown;
  snapshotInterval?: unknown;
  backgroundInterval?: unknown;
  resetDaily?: unknown;
}

export interface HeatmapSettings {
  heat: HeatSettings;
  /** Opacity of the heat over the video, 0-1. */
  alpha: number;
  /** Overlay frames per second and camera; 0 draws no overlay at all. */
  overlayFps: number;
  /** The overlay shows the last minutes (live) instead of the day. */
  liveView: boolean;
  /** How often changed heat goes to the store (and backgrounds are sent); 0: never by itself. */
  snapshotSeconds: number;
  /** How often a camera's background takes a sample; 0: never. */
  backgroundSeconds: number;
  /** The day starts again at local midnight. */
  resetDaily: boolean;
}

/** What the node shows when a field is out of range: every rule at once, as the editor's fields are. */
export const HEATMAP_SETTINGS_RULES =
  'check the settings: cell a whole 1-64 px, radius > 0, window 1-1440 min, alpha 0-1, overlay 0-30 fps, snapshots and background >= 0 s';

/** The heatmap's settings from its fields (an empty field: the default), or the rules when one is off. */
export function parseHeatmapSettings(fields: HeatmapFields): HeatmapSettings | { error: string } {
  const heat: HeatSettings = {
    cellSize: numberSetting(fields.cellSize, DEFAULT_HEAT_OPTIONS.cellSize),
    radius: numberSetting(fields.radius, DEFAULT_HEAT_OPTIONS.radius),
    liveWindowMinutes: numberSetting(fields.liveWindowMinutes, DEFAULT_HEAT_OPTIONS.liveWindowMinutes),
    maxFrameIntervalSeconds: numberSetting(
      fields.maxFrameInterval,
      DEFAULT_HEAT_OPTIONS.maxFrameIntervalSeconds,
    ),
  };
  const settings: HeatmapSettings = {
    heat,
    alpha: numberSetting(fields.alpha, DEFAULT_OVERLAY.alpha),
    overlayFps: numberSetting(fields.overlayFps, 5),
    liveView: fields.overlayView === 'live',
    snapshotSeconds: numberSetting(fields.snapshotInterval, 1),
    backgroundSeconds: numberSetting(fields.backgroundInterval, 10),
    resetDaily: fields.resetDaily !== false,
  };
  const valid =
    Number.isInteger(heat.cellSize) &&
    heat.cellSize >= 1 &&
    heat.cellSize <= 64 &&
    heat.radius > 0 &&
    heat.liveWindowMinutes >= 1 &&
    heat.liveWindowMinutes <= 1440 &&
    heat.maxFrameIntervalSeconds > 0 &&
    settings.alpha >= 0 &&
    settings.alpha <= 1 &&
    settings.overlayFps >= 0 &&
    settings.overlayFps <= 30 &&
    settings.snapshotSeconds >= 0 &&
    settings.backgroundSeconds >= 0;
  return valid ? settings : { error: HEATMAP_SETTINGS_RULES };
}
