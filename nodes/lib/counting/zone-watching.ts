import type { CameraSelection } from '../control/command';
import { Areas, areasSetting, scaleAreas } from './areas';
import { CameraDays, DayBook, DaysIo } from './camera-days';
import type { FrameTracks } from './frame-tracks';
import { ThresholdEvent, ThresholdRule, ThresholdWatch } from './threshold-rules';
import { ZoneEvent, ZoneMonitor, ZoneMonitorOptions, ZoneStatistics } from './zone-monitor';
import { rulesOf } from './zone-watching-settings';

/** A camera's zones now and their numbers of the day, as msg.zones carries them. */
export interface ZonesSummary {
  cameraId: string;
  /** YYYYMMDD, local time: the day the visits and dwell are of. */
  day: string;
  zones: Record<string, ZoneStatistics>;
}

/** A person entered or left a zone, as zone-monitor's second output carries it in msg.payload. */
export interface ZoneEventPayload {
  cameraId: string;
  zone: string;
  event: 'enter' | 'exit';
  trackId: number;
  at: number;
  time: string;
  /** On exit. */
  dwellSeconds?: number;
}

/** A rule raised or cleared, as zone-monitor's third output carries it in msg.payload. */
export type AlertPayload = ThresholdEvent & { cameraId: string; time: string };

/** What zone-monitor watches with, shared by its cameras' books (an `areas` command changes it). */
interface Watching {
  zones: Areas;
  rules: ThresholdRule[];
  options: ZoneMonitorOptions;
}

/** One camera's book: its zones drawn at the camera's frame size (with the day's numbers) and its alert rules. */
class ZonesBook implements DayBook {
  monitor: ZoneMonitor | null = null;
  watch: ThresholdWatch;

  constructor(private readonly watching: Watching) {
    this.watch = new ThresholdWatch(watching.rules);
  }

  draw(width: number, height: number): void {
    const monitor = new ZoneMonitor(
      scaleAreas(this.watching.zones, width, height).zones,
      this.watching.options,
    );
    // People start again in the redrawn zones; the day's numbers of zones kept carry over (any day label will do).
    if (this.monitor) monitor.restore(this.monitor.toFile('', 0), '');
    this.monitor = monitor;
    this.watch = new ThresholdWatch(this.watching.rules);
  }

  toFile(day: string, now: number): unknown {
    return this.monitor!.toFile(day, now);
  }

  restore(file: unknown, day: string): boolean {
    return this.monitor!.restore(file, day);
  }

  /** Midnight: people inside stay inside, counted in the new day. */
  startDay(): void {
    this.monitor!.resetDay();
  }

  reset(): void {
    this.monitor!.resetDay();
  }

  summary(): string {
    const visits = Object.values(this.monitor!.statistics()).reduce((a, z) => a + z.visits, 0);
    return `${visits} visits`;
  }
}

/** One frame watched: the zones after it, the enters and exits it completed, and the alerts it raised or cleared. */
export interface WatchedFrame {
  zones: ZonesSummary;
  events: ZoneEventPayload[];
  alerts: AlertPayload[];
}

/**
 * zone-monitor's policy without Node-RED: per camera, who is in which zone, the day's visits, dwell
 * and person-seconds kept in its day (CameraDays: restored after a restart, a new day at midnight,
 * saved every few seconds), and the alert rules watched over them.
 */
export class ZoneWatching {
  private readonly days: CameraDays<ZonesBook>;

  constructor(
    private readonly watching: Watching,
    io: DaysIo,
  ) {
    this.days = new CameraDays({ what: 'zone numbers', newBook: () => new ZonesBook(this.watching), ...io });
  }

  get zoneCount(): number {
    return this.watching.zones.zones.length;
  }

  /** One frame of a camera this node watches. */
  watch(frame: FrameTracks): WatchedFrame {
    const camera = this.days.dayOf(frame.cameraId, frame.at, frame.width, frame.height);
    const { cameraId } = camera;
    const monitor = camera.book.monitor!;
    const events = monitor.update(frame.tracks, frame.at);
    const statistics = monitor.statistics(frame.at);
    const alerts = camera.book.watch.update(statistics, frame.at);
    // Person-seconds change every frame: the file's delay decides how often they reach the disk.
    this.days.save(camera);
    return {
      zones: { cameraId, day: camera.day, zones: statistics },
      events: events.map((e) => eventPayload(cameraId, e)),
      alerts: alerts.map((a) => ({ ...a, cameraId, time: new Date(a.since).toISOString() })),
    };
  }

  /** New zones from the flow (a list of zones or { zones, size }) and the rules with them. Throws when unreadable. */
  setZones(value: unknown, rules: unknown): void {
    const zones = areasSetting(value, 'zones');
    this.watching.rules = rulesOf(rules ?? [], zones);
    this.watching.zones = zones;
    this.days.redrawAll();
  }

  /** The `reset` command: the selected cameras' day back to 0 (people inside stay inside). */
  reset(selection: CameraSelection, now: number): string[] {
    return this.days.reset(selection, now);
  }

  /** The node's status after a camera's frame: its queue (the first queue zone) or its zones, and the alerts raised. */
  statusOf(zones: ZonesSummary): { text: string; alerting: boolean } {
    const raised = this.days.all().reduce((n, c) => n + c.book.watch.raised().length, 0);
    const alert = raised > 0 ? ` · ${raised} alert(s)` : '';
    const who = this.days.size > 1 ? `${zones.cameraId}: ` : '';
    const queue = Object.entries(zones.zones).find(([, z]) => z.queue);
    if (queue) {
      const [name, { queue: q }] = queue;
      const wait = q!.estimatedWaitSeconds;
      const waitText = wait === null ? '' : `, wait ~${Math.round(wait)} s`;
      return { text: `${who}${name}: ${q!.length} queuing${waitText}${alert}`, alerting: raised > 0 };
    }
    const list = Object.values(zones.zones);
    const people = list.reduce((a, z) => a + z.occupancy, 0);
    const visits = list.reduce((a, z) => a + z.visits, 0);
    return { text: `${who}${people} in zones, ${visits} visits today${alert}`, alerting: raised > 0 };
  }

  close(): Promise<void> {
    return this.days.close();
  }
}

function eventPayload(cameraId: string, e: ZoneEvent): ZoneEventPayload {
  const { zone, event, trackId, at, dwellSeconds } = e;
  return {
    cameraId,
    zone,
    event,
    trackId,
    at,
    time: new Date(at).toISOString(),
    ...(dwellSeconds === undefined ? {} : { dwellSeconds: Math.round(dwellSeconds * 100) / 100 }),
  };
}
