/**
 * Lines and zones: the offline runner's areas.json, a node's setting, a message's payload. The
 * rules live in area-rules.ts, which the area editor in the browser runs too (the same compiled
 * code), so the dialogs refuse exactly what the runtime refuses.
 */
export * from './area-rules';
