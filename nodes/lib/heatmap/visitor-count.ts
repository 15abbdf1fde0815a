/**
 * Visitors since the heatmap's last reset, from the tracker's running count of unique IDs
 * (`msg.counts.unique`). Kept here rather than read straight off the tracker because the two
 * live apart: the heatmap's day survives a restart (restored from disk) while the tracker starts
 * again from 0, and a tracker reset or redeploy must not take visitors away from the day.
 */
export class VisitorCount {
  /** Visitors counted since the last reset (including those restored from a saved snapshot). */
  total = 0;
  private lastTrackerCount: number | null = null;

  /** Takes the tracker's current unique count; adds the people it issued IDs to since last time. */
  observe(trackerUnique: number): void {
    if (!Number.isFinite(trackerUnique) || trackerUnique < 0) return;
    const last = this.lastTrackerCount;
    // A count that went down means the tracker started afresh: all it counted since are new.
    this.total += last === null ? 0 : trackerUnique >= last ? trackerUnique - last : trackerUnique;
    this.lastTrackerCount = trackerUnique;
  }

  /** Adds the visitors of a restored snapshot (earlier in the same day). */
  restore(visitors: number): void {
    if (Number.isFinite(visitors) && visitors > 0) this.total += Math.round(visitors);
  }

  /** Starts a new count; people the tracker already counted before the reset are not counted again. */
  reset(): void {
    this.total = 0;
  }
}
