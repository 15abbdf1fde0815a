import { humanDuration } from '../time/human-duration';
import { localDate, localIso } from '../time/local-time';

/**
 * The tracker's and the heatmap's statuses count different things over different times: the tracker
 * the IDs it gave since it started (a deploy) or was reset, the heatmap the visitors of the day (kept
 * across restarts and deploys). Each says since when, so "7 IDs since 14:02" and "26 visitors since
 * 08:00" are not read as one figure.
 */

/** "14:02" on the day of `now`, else "2026-12-01 14:02" (local time). */
export function sinceText(since: number, now: number): string {
  const clock = localIso(since).slice(11, 16);
  return localDate(since) === localDate(now) ? clock : `${localDate(since)} ${clock}`;
}

/** One camera's tracker: people tracked in its last frame, IDs given since `since` (ms). */
export interface TrackerCount {
  inView: number;
  unique: number;
  since: number;
}

/** "7 IDs", "1 ID". */
const counted = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The sum of one figure over the cameras. */
const total = <T>(cameras: readonly T[], figure: (c: T) => number): number =>
  cameras.reduce((n, c) => n + figure(c), 0);

/** `text` with "since <the earliest camera's start>", and the number of cameras when there are several. */
function overCameras(cameras: readonly { since: number }[], text: string, now: number): string {
  const since = sinceText(Math.min(...cameras.map((c) => c.since)), now);
  return cameras.length > 1 ? `${cameras.length} cameras: ${text} since ${since}` : `${text} since ${since}`;
}

/** "2 in view, 7 IDs since 14:02"; several cameras: "3 cameras: 5 in view, 21 IDs since 14:02". */
export function trackerStatusText(cameras: readonly TrackerCount[], now: number): string {
  const text = `${total(cameras, (c) => c.inView)} in view, ${counted(
    total(cameras, (c) => c.unique),
    'ID',
  )}`;
  return overCameras(cameras, text, now);
}

/** One camera's day in the heatmap. */
export interface VisitorCount {
  totalActivitySeconds: number;
  uniquePeople: number;
  /** ms: the start of the day's counting (midnight, a reset, or a restored day's start). */
  since: number;
}

/**
 * "2 h 15 min of activity, 26 visitors since 08:00"; several cameras: "3 cameras: ..., 40 visitors
 * since 08:00" (the earliest start).
 */
export function visitorsStatusText(cameras: readonly VisitorCount[], now: number): string {
  const activity = humanDuration(total(cameras, (c) => c.totalActivitySeconds));
  const text = `${activity} of activity, ${counted(
    total(cameras, (c) => c.uniquePeople),
    'visitor',
  )}`;
  return overCameras(cameras, text, now);
}
