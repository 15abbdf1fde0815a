import { humanDuration } from '../heatmap/statistics';
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

/** "2 in view, 7 IDs since 14:02"; several cameras: "3 cameras: 5 in view, 21 IDs since 14:02". */
export function trackerStatusText(cameras: readonly TrackerCount[], now: number): string {
  const inView = cameras.reduce((n, c) => n + c.inView, 0);
  const ids = cameras.reduce((n, c) => n + c.unique, 0);
  const since = Math.min(...cameras.map((c) => c.since));
  const text = `${inView} in view, ${ids} ID${ids === 1 ? '' : 's'} since ${sinceText(since, now)}`;
  return cameras.length > 1 ? `${cameras.length} cameras: ${text}` : text;
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
  const activity = cameras.reduce((n, c) => n + c.totalActivitySeconds, 0);
  const visitors = cameras.reduce((n, c) => n + c.uniquePeople, 0);
  const since = Math.min(...cameras.map((c) => c.since));
  const text =
    `${humanDuration(activity)} of activity, ${visitors} visitor${visitors === 1 ? '' : 's'} ` +
    `since ${sinceText(since, now)}`;
  return cameras.length > 1 ? `${cameras.length} cameras: ${text}` : text;
}
