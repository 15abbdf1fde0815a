import { cameraIdProblem } from '../control/command';
import { cameraSourceId } from '../counting/area-rules';
import { numberSetting } from '../settings/editor-fields';
import {
  DEFAULT_SOURCE,
  validateSourceOptions,
  type CameraSourceOptions,
  type RtspTransport,
} from './camera-source';

/** rtsp-in's editor fields (strings from the form for the numbers; a flow may leave any out). */
export interface CameraFields {
  name?: string;
  url?: string;
  cameraId?: string;
  transport?: RtspTransport;
  loop?: boolean;
  realtime?: boolean;
  fps?: string | number;
  width?: string | number;
  height?: string | number;
  quality?: string | number;
  stallTimeout?: string | number;
}

export interface CameraSettings {
  /** Which camera: the camera id, else the node's name, else its node id. */
  sourceId: string;
  source: CameraSourceOptions;
  /** No picture for this long: ffmpeg is restarted. */
  stallTimeoutMs: number;
}

/** A camera's settings from its node's fields, and what is wrong with them (null when nothing). */
export function cameraSettingsOf(
  fields: CameraFields,
  nodeId: string,
  credentials: { user?: string; password?: string },
): { settings: CameraSettings; problem: string | null } {
  // The editor's area dialogs name a wired camera by the same rule (area-rules runs in the browser too).
  const sourceId = cameraSourceId(fields, nodeId);
  const source: CameraSourceOptions = {
    url: (fields.url ?? '').trim(),
    user: credentials.user || undefined,
    password: credentials.password || undefined,
    transport: fields.transport || DEFAULT_SOURCE.transport,
    loop: typeof fields.loop === 'boolean' ? fields.loop : DEFAULT_SOURCE.loop,
    realtime: typeof fields.realtime === 'boolean' ? fields.realtime : DEFAULT_SOURCE.realtime,
    fps: numberSetting(fields.fps, DEFAULT_SOURCE.fps),
    width: numberSetting(fields.width, DEFAULT_SOURCE.width),
    height: numberSetting(fields.height, DEFAULT_SOURCE.height),
    jpegQuality: numberSetting(fields.quality, DEFAULT_SOURCE.jpegQuality),
  };
  const stallTimeoutS = numberSetting(fields.stallTimeout, 10);
  const problem =
    validateSourceOptions(source) ??
    (Number.isFinite(stallTimeoutS) && stallTimeoutS >= 2 ? null : 'stall timeout must be at least 2 s') ??
    cameraIdProblem(sourceId);
  return { settings: { sourceId, source, stallTimeoutMs: stallTimeoutS * 1000 }, problem };
}
