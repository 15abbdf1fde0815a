/**
 * The MQTT topic tree a store box publishes under, and the envelope of every payload. One tree for
 * the whole chain, so head office subscribes to `store-analytics/+/#` and reads the store and
 * camera from the topic as well as from the payload:
 *
 *   store-analytics/<store>/status                  "online" / "offline" (retained; the last will)
 *   store-analytics/<store>/<camera>/minute         a history minute row (QoS 1, through the outbox)
 *   store-analytics/<store>/<camera>/event/<kind>   a crossing or zone event (QoS 1, through the outbox)
 *   store-analytics/<store>/<camera>/heat           the hour's heat grid, compact (through the outbox)
 *   store-analytics/<store>/<camera>/state          people in view, occupancy, footfall today (retained)
 */
export const TOPIC_ROOT = 'store-analytics';

export type MessageKind = 'minute' | 'event' | 'heat' | 'state';

/** The version of the payloads' shape: a consumer refuses what it does not know. */
export const PAYLOAD_VERSION = 1;

/** Every payload: who, when, and its place in the store's sequence. */
export interface Envelope {
  v: number;
  store: string;
  camera: string;
  /** ISO time of what it reports (a minute's start, an event's moment). */
  time: string;
  /**
   * The store's sequence number: increasing, never reused; a duplicate at the centre is the same seq.
   * A state payload (retained, the latest only) has none.
   */
  seq: number;
}

/**
 * A store or camera id as one topic level. MQTT gives `/` (level), `+` and `#` (wildcards) a meaning,
 * and brokers refuse control characters: ids are checked rather than silently rewritten, so two ids
 * can never land on one topic.
 */
export function topicLevel(id: string, what: 'store' | 'camera'): string {
  if (typeof id !== 'string' || id.trim() === '') throw new Error(`the ${what} id is empty`);
  if (/[/+#]/.test(id) || [...id].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    throw new Error(
      `the ${what} id "${id}" cannot be an MQTT topic level: it holds / + # or a control character`,
    );
  if (Buffer.byteLength(id) > 128) throw new Error(`the ${what} id "${id}" is longer than 128 bytes`);
  return id;
}

export function storeTopic(store: string, leaf: 'status'): string {
  return `${TOPIC_ROOT}/${topicLevel(store, 'store')}/${leaf}`;
}

export function cameraTopic(store: string, camera: string, kind: MessageKind, eventKind?: string): string {
  const base = `${TOPIC_ROOT}/${topicLevel(store, 'store')}/${topicLevel(camera, 'camera')}`;
  if (kind !== 'event') return `${base}/${kind}`;
  if (!eventKind || !/^[a-z][a-z-]*$/.test(eventKind))
    throw new Error(`an event needs a kind such as "crossing", not "${eventKind}"`);
  return `${base}/event/${eventKind}`;
}

/** What a topic of the tree names; null for a topic outside it. */
export function parseTopic(
  topic: string,
): { store: string; camera?: string; kind: MessageKind | 'status'; eventKind?: string } | null {
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 3) return null;
  if (parts.length === 3) return parts[2] === 'status' ? { store: parts[1], kind: 'status' } : null;
  const [, store, camera, kind, eventKind] = parts;
  if (kind === 'event' && parts.length === 5) return { store, camera, kind, eventKind };
  if (parts.length === 4 && (kind === 'minute' || kind === 'heat' || kind === 'state'))
    return { store, camera, kind };
  return null;
}

/** Checks a received payload's envelope against its topic (head office trusts neither alone). */
export function checkEnvelope(topic: string, payload: unknown): Envelope {
  const where = parseTopic(topic);
  if (!where || !where.camera) throw new Error(`"${topic}" is not a camera topic of ${TOPIC_ROOT}/`);
  const p = payload as Partial<Envelope> | null;
  if (!p || typeof p !== 'object') throw new Error(`${topic}: the payload is not a JSON object`);
  if (p.v !== PAYLOAD_VERSION)
    throw new Error(`${topic}: payload version ${p.v}, this head office reads ${PAYLOAD_VERSION}`);
  if (p.store !== where.store || p.camera !== where.camera)
    throw new Error(
      `${topic}: the payload names ${p.store}/${p.camera}, the topic ${where.store}/${where.camera}`,
    );
  // A retained state is the latest only: it goes straight out, without the outbox's seq.
  if (where.kind === 'state' && p.seq === undefined) {
    // no seq to check
  } else if (typeof p.seq !== 'number' || !Number.isSafeInteger(p.seq) || p.seq < 1)
    throw new Error(`${topic}: seq must be a positive integer, not ${p.seq}`);
  if (typeof p.time !== 'string' || Number.isNaN(Date.parse(p.time)))
    throw new Error(`${topic}: time is not an ISO time`);
  return p as Envelope;
}
