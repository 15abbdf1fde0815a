/**
 * The store's calendar in the machine's local time zone, for history rows. Times are kept as ms
 * since epoch (unambiguous across daylight-saving changes); steps are cut in local time, so the
 * October night has 25 hours (02:00 twice, with two offsets) and the March night 23.
 */
export type Step = 'minute' | 'hour' | 'day';
export const STEPS: readonly Step[] = ['minute', 'hour', 'day'];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/**
 * The start of the minute holding `at`. Every time zone in use has whole-minute offsets, so local
 * and UTC minutes coincide.
 */
export function minuteStart(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/**
 * The start of the local hour holding `at`. Counted back from `at` rather than set with
 * Date.setMinutes(0): in the repeated hour of October that would pick the first 02:00, not this one.
 */
export function hourStart(at: number): number {
  const d = new Date(at);
  return at - (d.getMinutes() * MINUTE_MS + d.getSeconds() * 1000 + d.getMilliseconds());
}

/** Local midnight of the day holding `at`. */
export function dayStart(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function stepStart(at: number, step: Step): number {
  return step === 'minute' ? minuteStart(at) : step === 'hour' ? hourStart(at) : dayStart(at);
}

/** The start of the step after the one starting at `start`. */
export function nextStep(start: number, step: Step): number {
  if (step === 'minute') return start + MINUTE_MS;
  if (step === 'hour') return hourStart(start + HOUR_MS);
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

const two = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD of `at`, local time. */
export function localDate(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** ISO 8601 local time with its offset: 2026-10-25T02:00:00+01:00 (spreadsheets and people read both). */
export function localIso(at: number): string {
  const d = new Date(at);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${localDate(at)}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}

/** Local midnight of a YYYY-MM-DD date, or null when it is not a real calendar date. */
export function parseLocalDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(year, month - 1, day);
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day) return null;
  return d.getTime();
}
