import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { redact } from '../text/redact';

/** How a node reaches the broker: from its settings, its credentials and the environment. */
export interface BrokerSettings {
  /** mqtt://host:1883 or mqtts://host:8883 (TLS); blank: this node is off. */
  url: string;
  username?: string;
  password?: string;
  /** A PEM file of the CA that signed the broker's certificate (mqtts:// with a private CA). */
  caFile?: string;
  clientId: string;
  /** Kept at the broker while the client is away (head office): QoS 1 messages wait for it there. */
  persistentSession?: boolean;
  will?: IClientOptions['will'];
}

/**
 * The client options for mqtt.js. Credentials go in the options, never into the URL (which reaches
 * logs and statuses): a URL that carries them is refused.
 */
export function brokerOptions(s: BrokerSettings): { url: string; options: IClientOptions } {
  let url: URL;
  try {
    url = new URL(s.url);
  } catch {
    throw new Error(`the broker URL "${redact(s.url)}" is not a URL such as mqtt://host:1883`);
  }
  if (!['mqtt:', 'mqtts:'].includes(url.protocol))
    throw new Error(`the broker URL must start mqtt:// or mqtts:// (TLS), not ${url.protocol}//`);
  if (url.username || url.password)
    throw new Error(
      'put the broker user and password in the credentials (or MQTT_USERNAME, MQTT_PASSWORD), not in the URL',
    );
  const options: IClientOptions = {
    clientId: s.clientId,
    clean: !s.persistentSession,
    keepalive: 30,
    reconnectPeriod: 5000,
    connectTimeout: 10_000,
    protocolVersion: 4,
    // A message unacknowledged when the link drops is sent again by the outbox, from the oldest.
    resubscribe: true,
  };
  if (s.username) options.username = s.username;
  if (s.password) options.password = s.password;
  if (s.will) options.will = s.will;
  if (url.protocol === 'mqtts:') {
    options.rejectUnauthorized = true;
    if (s.caFile) {
      try {
        options.ca = readFileSync(s.caFile);
      } catch (err) {
        throw new Error(`cannot read the broker's CA file ${s.caFile}: ${(err as Error).message}`);
      }
    }
  } else if (s.caFile) {
    throw new Error('a CA file is given but the broker URL is mqtt://: use mqtts:// for TLS');
  }
  return { url: `${url.protocol}//${url.host}`, options };
}

/** A broker's refusal or a socket error, in words for the status (never the secret). */
export function brokerProblem(err: Error & { code?: string | number }, secrets: string[] = []): string {
  const code = err.code;
  // CONNACK return codes of MQTT 3.1.1 (and their MQTT 5 reason codes).
  if (code === 4 || code === 134) return 'not authorised: bad user name or password';
  if (code === 5 || code === 135) return 'not authorised: check the user and password';
  if (code === 2 || code === 133) return 'refused: the client id';
  if (code === 'ECONNREFUSED') return 'broker unreachable: connection refused';
  if (code === 'EPIPE' || code === 'ECONNRESET') return 'broker connection lost';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'broker unreachable: unknown host';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return 'broker unreachable: no answer';
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
    return `TLS refused: ${redact(err.message, secrets)}`;
  return `broker error: ${redact(err.message, secrets)}`;
}

/** Credentials from the node's own (encrypted) credentials, else from the environment. */
export function brokerCredentials(credentials: { username?: string; password?: string } | undefined): {
  username?: string;
  password?: string;
} {
  return {
    username: credentials?.username || process.env.MQTT_USERNAME || undefined,
    password: credentials?.password || process.env.MQTT_PASSWORD || undefined,
  };
}
