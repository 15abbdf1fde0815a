import type { ZoneStatistics } from './zone-monitor';

/** What a rule watches in a zone. */
export const MEASURES = ['occupancy', 'queueLength', 'waitSeconds', 'estimatedWaitSeconds'] as const;
export type Measure = (typeof MEASURES)[number];

/** "queueLength of till above 4 for 60 s": raised once it has held that long, cleared when it no longer holds. */
export interface ThresholdRule {
  zone: string;
  measure: Measure;
  above: number;
  forSeconds: number;
}

export interface ThresholdEvent extends ThresholdRule {
  state: 'raised' | 'cleared';
  /** The measure's value when the state changed. */
  value: number;
  /** ms: when the value first went above (raised) or came back (cleared). */
  since: number;
}

/** Reads the rules (the node's setting or a message); throws with what is wrong and where. */
export function parseRules(value: unknown, zoneNames: readonly string[]): ThresholdRule[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) throw new Error('the alert rules must be a list');
  return value.map((r: Partial<ThresholdRule> | null, i) => {
    const where = `alert rule ${i + 1}`;
    if (!r || typeof r.zone !== 'string' || !zoneNames.includes(r.zone))
      throw new Error(`${where}: zone "${r?.zone}" is not one of the drawn zones`);
    if (!MEASURES.includes(r.measure as Measure))
      throw new Error(`${where}: measure must be one of ${MEASURES.join(', ')}`);
    const above = Number(r.above);
    const forSeconds = Number(r.forSeconds ?? 0);
    if (!Number.isFinite(above)) throw new Error(`${where}: "above" must be a number`);
    if (!(forSeconds >= 0 && forSeconds <= 86400))
      throw new Error(`${where}: "for" must be 0 to 86400 seconds`);
    return { zone: r.zone, measure: r.measure as Measure, above, forSeconds };
  });
}

/** The measure's value in a zone's statistics; null when the zone has none (not a queue, no wait yet). */
export function measureOf(stats: ZoneStatistics | undefined, measure: Measure): number | null {
  if (!stats) return null;
  switch (measure) {
    case 'occupancy':
      return stats.occupancy;
    case 'queueLength':
      return stats.queue?.length ?? stats.occupancy;
    case 'waitSeconds':
      return stats.queue?.waitSeconds ?? null;
    case 'estimatedWaitSeconds':
      return stats.queue?.estimatedWaitSeconds ?? null;
  }
}

/**
 * Watches rules over time: a rule is raised once its value has stayed above the limit for its
 * seconds, and cleared (once) when the value is no longer above. One event per change, not per frame.
 */
export class ThresholdWatch {
  private readonly state: Array<{ aboveSince: number | null; raised: boolean }>;

  constructor(readonly rules: readonly ThresholdRule[]) {
    this.state = rules.map(() => ({ aboveSince: null, raised: false }));
  }

  update(statistics: Record<string, ZoneStatistics>, at: number): ThresholdEvent[] {
    const events: ThresholdEvent[] = [];
    this.rules.forEach((rule, i) => {
      const s = this.state[i];
      const value = measureOf(statistics[rule.zone], rule.measure);
      if (value !== null && value > rule.above) {
        s.aboveSince ??= at;
        if (!s.raised && at - s.aboveSince >= rule.forSeconds * 1000) {
          s.raised = true;
          events.push({ ...rule, state: 'raised', value, since: s.aboveSince });
        }
      } else {
        if (s.raised) events.push({ ...rule, state: 'cleared', value: value ?? 0, since: at });
        s.aboveSince = null;
        s.raised = false;
      }
    });
    return events;
  }

  /** The rules raised now. */
  raised(): ThresholdRule[] {
    return this.rules.filter((_, i) => this.state[i].raised);
  }
}
