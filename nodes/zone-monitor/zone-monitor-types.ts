import type { NodeMessage } from 'node-red';
import type { ThresholdEvent } from '../lib/counting/threshold-rules';
import type { ZoneStatistics } from '../lib/counting/zone-monitor';

/** What zone-monitor adds to each frame message of the cameras it watches. */
export interface ZonesMessage extends NodeMessage {
  zones: {
    cameraId: string;
    /** YYYYMMDD, local time: the day the visits and dwell are of. */
    day: string;
    zones: Record<string, ZoneStatistics>;
  };
}

/** The second output: a person entered or left a zone. */
export interface ZoneEventMessage extends NodeMessage {
  topic: 'zone';
  payload: {
    cameraId: string;
    zone: string;
    event: 'enter' | 'exit';
    trackId: number;
    at: number;
    time: string;
    /** On exit. */
    dwellSeconds?: number;
  };
}

/** The third output: a threshold rule was raised or cleared. */
export interface AlertMessage extends NodeMessage {
  topic: 'alert';
  payload: ThresholdEvent & { cameraId: string; time: string };
}
