/** How long to wait before each reconnect attempt. */
export interface BackoffPolicy {
  /** Delay before the first retry. The app we replace waited 5 s. */
  initialMs: number;
  /** Each failed attempt in a row multiplies the delay by this. */
  factor: number;
  /** The delay never grows past this, so a camera that comes back is picked up within it. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 5000, factor: 2, maxMs: 60000 };

/**
 * Delay before retry number `attempt` (0 for the first retry after a failure):
 * 5 s, 10 s, 20 s, 40 s, 60 s, 60 s, ... with the default policy.
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(0, Math.floor(attempt));
  // Cap the exponent before Math.pow so a long outage cannot overflow to Infinity.
  const exponent = Math.min(n, 64);
  return Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.factor, exponent));
}
