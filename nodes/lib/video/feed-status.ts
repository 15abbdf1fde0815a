import type { StatusState } from './camera-status';

/** What an MJPEG feed (mjpeg-out) serves now, for its status line. */
export interface FeedState {
  path: string;
  /** The cameras whose frames came to the feed. */
  cameras: number;
  viewers: number;
  framesReceived: number;
}

/** mjpeg-out's status: waiting for frames, then its path (and cameras) and how many watch. */
export function feedStatusText(feed: FeedState): { state: StatusState; text: string } {
  if (feed.framesReceived === 0) {
    return { state: 'connecting', text: `${feed.path}: waiting for frames, ${feed.viewers} viewer(s)` };
  }
  const where = feed.cameras > 1 ? `${feed.path}: ${feed.cameras} cameras` : feed.path;
  return feed.viewers > 0
    ? { state: 'ok', text: `${where}, ${feed.viewers} viewer(s)` }
    : { state: 'idle', text: `${where}, no viewers` };
}
