import type { NodeMessage } from 'node-red';
import type { AlertPayload, ZoneEventPayload, ZonesSummary } from '../lib/counting/zone-watching';

/** What zone-monitor adds to each frame message of the cameras it watches. */
export interface ZonesMessage extends NodeMessage {
  zones: ZonesSummary;
}

/** The second output: a person entered or left a zone. */
export interface ZoneEventMessage extends NodeMessage {
  topic: 'zone';
  payload: ZoneEventPayload;
}

/** The third output: a threshold rule was raised or cleared. */
export interface AlertMessage extends NodeMessage {
  topic: 'alert';
  payload: AlertPayload;
}
