/** Counts events and tells their rate since the last reading (for once-a-second status lines). */
export class RateMeter {
  private count = 0;
  private since = Date.now();

  tick(): void {
    this.count++;
  }

  /** Events per second since the previous call; resets the count. */
  perSecond(now: number = Date.now()): number {
    const elapsed = now - this.since;
    const rate = elapsed > 0 ? (this.count * 1000) / elapsed : 0;
    this.count = 0;
    this.since = now;
    return rate;
  }
}
