/** Editor fields arrive as strings or numbers; an empty field means the default. */
export function numberSetting(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}
