import { numberSetting } from '../settings/editor-fields';
import { Areas, areasSetting } from './areas';
import { parseRules, ThresholdRule } from './threshold-rules';
import { DEFAULT_ZONE_MONITOR, ZoneMonitorOptions } from './zone-monitor';

/** zone-monitor's settings, read from its editor fields (or its `areas` command). */
export interface ZoneWatchingSettings {
  zones: Areas;
  rules: ThresholdRule[];
  options: ZoneMonitorOptions;
}

/** The editor's fields of zone-monitor that shape its watching. */
export interface ZoneMonitorFields {
  zones?: unknown;
  rules?: unknown;
  inertiaSeconds?: unknown;
}

/** The alert rules (JSON text from the editor, or a list from a message), checked against the zones. */
export function rulesOf(value: unknown, zones: Areas): ThresholdRule[] {
  let json = value;
  if (typeof value === 'string') {
    try {
      json = value.trim() === '' ? [] : JSON.parse(value);
    } catch (err) {
      throw new Error(`the alert rules are not JSON: ${(err as Error).message}`);
    }
  }
  return parseRules(
    json,
    zones.zones.map((z) => z.name),
  );
}

/** Reads zone-monitor's fields; throws with what is wrong, in the words its status shows. */
export function zoneWatchingSettings(fields: ZoneMonitorFields): ZoneWatchingSettings {
  let zones: Areas;
  let rules: ThresholdRule[];
  try {
    zones = areasSetting(fields.zones, 'zones');
    rules = rulesOf(fields.rules, zones);
  } catch (err) {
    throw new Error(`the zones cannot be read: ${(err as Error).message}`);
  }
  const options: ZoneMonitorOptions = {
    ...DEFAULT_ZONE_MONITOR,
    inertiaSeconds: numberSetting(fields.inertiaSeconds, DEFAULT_ZONE_MONITOR.inertiaSeconds),
  };
  if (!(options.inertiaSeconds >= 0 && options.inertiaSeconds <= 30)) {
    throw new Error('the inertia must be 0-30 s');
  }
  return { zones, rules, options };
}
