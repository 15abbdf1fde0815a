/** YYYYMMDD of a time in the machine's local time zone: the store's calendar day, and its folder's name on disk. */
export function dayFolder(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The midnight rule of the day books (line-counter, zone-monitor): a frame captured at `at` begins a
 * new day when its local calendar day (the heatmap's rule: the frame's time, not the clock when it is
 * handled) is later than `day`, the day being counted. A frame of an earlier day (a clock set back, a
 * frame that arrives late) is counted into the current day, so a finished day is never reopened.
 */
export function beginsLaterDay(day: string, at: number): boolean {
  // YYYYMMDD strings sort as the days do.
  return dayFolder(at) > day;
}
