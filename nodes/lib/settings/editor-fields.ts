/**
 * Reading the editor's fields. They live here, not in node glue, so that the settings parsers in
 * nodes/lib (tested without Node-RED) read a field the way every node does.
 */

/** Editor fields arrive as strings or numbers; an empty field means the default. */
export function numberSetting(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}

/**
 * A text setting, trimmed. Node-RED leaves `${NAME}` as it is when the environment has no NAME:
 * that reads as blank (unset), like an empty field.
 */
export function textSetting(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  return /^\$\{\w+\}$/.test(text) ? '' : text;
}
