/** Errors of one kind are reported at most this often; frames in between are counted, not logged. */
export const ERROR_REPORT_INTERVAL_MS = 10000;

/**
 * Keeps a failing detector from logging at every frame of every camera: an error goes to Catch nodes
 * at most once per interval, and one reported stays in the node's status until the interval is over
 * (the once-a-second figures would otherwise hide it at once).
 */
export class ErrorThrottle {
  private lastReportAt = -Infinity;
  private shownText = '';

  constructor(private readonly intervalMs: number = ERROR_REPORT_INTERVAL_MS) {}

  /**
   * Whether an error at `now` is to be reported; if so it counts as reported from now on. `shown`:
   * the error also goes to the status, where it stays for the interval (see `showing`).
   */
  report(now: number, shown?: string): boolean {
    if (now - this.lastReportAt < this.intervalMs) return false;
    this.lastReportAt = now;
    if (shown !== undefined) this.shownText = shown;
    return true;
  }

  /** Whether an error shown in the status is still to stay there; once over, it is forgotten. */
  showing(now: number): boolean {
    if (this.shownText && now - this.lastReportAt < this.intervalMs) return true;
    this.shownText = '';
    return false;
  }
}
