import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { Areas, areasSetting, scaleAreas } from '../lib/counting/areas';
import { parseRules, ThresholdRule, ThresholdWatch } from '../lib/counting/threshold-rules';
import {
  DEFAULT_ZONE_MONITOR,
  ZoneEvent,
  ZoneMonitor,
  ZoneMonitorOptions,
} from '../lib/counting/zone-monitor';
import { camerasOf, selected } from '../lib/control/command';
import { JsonFile } from '../lib/storage/json-file';
import { dayFolder } from '../lib/time/local-day';
import { numberSetting } from '../shared/config';
import { countsDirectory, dayFile, FrameTracks, frameOrHandled } from '../shared/counting-input';
import { reportConfigError, Status } from '../shared/status';
import type { AlertMessage, ZoneEventMessage, ZonesMessage } from './zone-monitor-types';

/** The editor's `defaults`; every key here is a field of zone-monitor.html. */
interface ZoneMonitorDef extends NodeDef {
  camera: string;
  /** JSON: [{ name, polygon: [[fx, fy], ...], queue? }] in fractions of the frame (or an ${ENV} holding it). */
  zones: string;
  inertiaSeconds: string | number;
  /** JSON: [{ zone, measure, above, forSeconds }]. */
  rules: string;
  directory: string;
}

const COMMANDS = ['reset', 'areas'] as const;
/** Person-seconds change every frame: the day's numbers reach the disk this often. */
const SAVE_DELAY_MS = 10000;

interface CameraZones {
  cameraId: string;
  monitor: ZoneMonitor;
  watch: ThresholdWatch;
  width: number;
  height: number;
  day: string;
  file: JsonFile;
}

function rulesOf(text: unknown, areas: Areas): ThresholdRule[] {
  let json = text;
  if (typeof text === 'string') {
    try {
      json = text.trim() === '' ? [] : JSON.parse(text);
    } catch (err) {
      throw new Error(`the alert rules are not JSON: ${(err as Error).message}`);
    }
  }
  return parseRules(
    json,
    areas.zones.map((z) => z.name),
  );
}

export = function (RED: NodeAPI): void {
  function ZoneMonitorNode(this: Node, config: ZoneMonitorDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const options: ZoneMonitorOptions = {
      ...DEFAULT_ZONE_MONITOR,
      inertiaSeconds: numberSetting(config.inertiaSeconds, DEFAULT_ZONE_MONITOR.inertiaSeconds),
    };
    let areas: Areas;
    let rules: ThresholdRule[];
    try {
      areas = areasSetting(config.zones, 'zones');
      rules = rulesOf(config.rules, areas);
    } catch (err) {
      reportConfigError(node, `the zones cannot be read: ${(err as Error).message}`);
      return;
    }
    if (!(options.inertiaSeconds >= 0 && options.inertiaSeconds <= 30)) {
      reportConfigError(node, 'the inertia must be 0-30 s');
      return;
    }
    const onlyCamera = (config.camera ?? '').trim();
    const directory = countsDirectory(RED, config.directory);
    const cameras = new Map<string, CameraZones>();
    let lastStatusAt = 0;
    node.status(
      areas.zones.length === 0
        ? Status.idle('no zones: open the node and draw one on the camera picture')
        : Status.idle('waiting for tracks'),
    );

    const reportSaveError = (err: Error) => {
      node.error(`could not save the zone numbers: ${err.message} (kept in memory, retrying)`);
      node.status(Status.error('cannot save the zone numbers, see the log'));
    };
    const fileFor = (cameraId: string, at: number) =>
      new JsonFile(dayFile(directory, at, cameraId, 'zones', node.id), SAVE_DELAY_MS, reportSaveError);

    /** A camera's zones, with today's saved numbers taken back on its first frame. */
    function zonesFor(frame: FrameTracks): CameraZones {
      let state = cameras.get(frame.cameraId);
      if (state && state.width === frame.width && state.height === frame.height) return state;
      const monitor = new ZoneMonitor(scaleAreas(areas, frame.width, frame.height).zones, options);
      const day = dayFolder(frame.at);
      if (state) {
        // A new frame size (or new zones): people start again in the redrawn zones; the day's numbers stay.
        monitor.restore(state.monitor.toFile(state.day, frame.at), state.day);
        Object.assign(state, {
          monitor,
          watch: new ThresholdWatch(rules),
          width: frame.width,
          height: frame.height,
        });
        return state;
      }
      const file = fileFor(frame.cameraId, frame.at);
      try {
        if (monitor.restore(file.read(), day)) node.log(`${frame.cameraId}: restored today's zone numbers`);
      } catch (err) {
        node.error(`${frame.cameraId}: ${(err as Error).message}`);
      }
      state = {
        cameraId: frame.cameraId,
        monitor,
        watch: new ThresholdWatch(rules),
        width: frame.width,
        height: frame.height,
        day,
        file,
      };
      cameras.set(frame.cameraId, state);
      return state;
    }

    function save(state: CameraZones): void {
      const { monitor, day } = state;
      state.file.changed(() => monitor.toFile(day, Date.now()));
    }

    function eventMessage(state: CameraZones, e: ZoneEvent): ZoneEventMessage {
      return {
        _msgid: RED.util.generateId(),
        topic: 'zone',
        payload: {
          cameraId: state.cameraId,
          zone: e.zone,
          event: e.event,
          trackId: e.trackId,
          at: e.at,
          time: new Date(e.at).toISOString(),
          ...(e.dwellSeconds === undefined ? {} : { dwellSeconds: Math.round(e.dwellSeconds * 100) / 100 }),
        },
      };
    }

    function showStatus(now: number, zones: ZonesMessage['zones']): void {
      if (now - lastStatusAt < 1000) return;
      lastStatusAt = now;
      const queue = Object.entries(zones.zones).find(([, z]) => z.queue);
      const raised = [...cameras.values()].reduce((n, s) => n + s.watch.raised().length, 0);
      const alert = raised > 0 ? ` · ${raised} alert(s)` : '';
      const who = cameras.size > 1 ? `${zones.cameraId}: ` : '';
      if (queue) {
        const [name, z] = queue;
        const wait = z.queue!.estimatedWaitSeconds;
        node.status(
          (raised ? Status.busy : Status.ok)(
            `${who}${name}: ${z.queue!.length} queuing${wait === null ? '' : `, wait ~${Math.round(wait)} s`}${alert}`,
          ),
        );
        return;
      }
      const list = Object.values(zones.zones);
      const people = list.reduce((a, z) => a + z.occupancy, 0);
      const visits = list.reduce((a, z) => a + z.visits, 0);
      node.status(
        (raised ? Status.busy : Status.ok)(`${who}${people} in zones, ${visits} visits today${alert}`),
      );
    }

    function command(name: (typeof COMMANDS)[number], msg: NodeMessage): void {
      if (name === 'reset') {
        const ids = selected(camerasOf(msg), cameras.keys());
        for (const id of ids) {
          const state = cameras.get(id)!;
          state.monitor.resetDay();
          save(state);
          void state.file.flush();
        }
        node.status(Status.idle(`reset ${ids.length ? ids.join(', ') : '(nothing counted yet)'}`));
        return;
      }
      // New zones from the flow (msg.payload: a list of zones or { zones, size }), and rules with them.
      const next = areasSetting(msg.payload, 'zones');
      const nextRules = rulesOf((msg as { rules?: unknown }).rules ?? [], next);
      areas = next;
      rules = nextRules;
      for (const state of cameras.values()) state.width = 0; // redrawn at the next frame
      node.status(Status.idle(`${areas.zones.length} zone(s) set by a message`));
    }

    node.on('input', (msg, send, done) => {
      const frame = frameOrHandled(node, msg, done, COMMANDS, (name) => command(name, msg));
      if (!frame) return;
      if ((onlyCamera && frame.cameraId !== onlyCamera) || areas.zones.length === 0) {
        send([msg, null, null]);
        done();
        return;
      }
      const state = zonesFor(frame);
      const day = dayFolder(frame.at);
      if (day > state.day) {
        // Midnight: the finished day's file is complete; people inside stay inside, counted in the new day.
        const finished = state.monitor.toFile(state.day, Date.now());
        state.file.changed(() => finished);
        void state.file.close();
        state.monitor.resetDay();
        state.day = day;
        state.file = fileFor(state.cameraId, frame.at);
      }
      const events = state.monitor.update(frame.tracks, frame.at);
      const statistics = state.monitor.statistics(frame.at);
      const alerts = state.watch.update(statistics, frame.at);
      save(state);
      const out = msg as ZonesMessage;
      out.zones = { cameraId: state.cameraId, day: state.day, zones: statistics };
      send([out, null, null]);
      for (const e of events) send([null, eventMessage(state, e), null]);
      for (const a of alerts) {
        const alert: AlertMessage = {
          _msgid: RED.util.generateId(),
          topic: 'alert',
          payload: { ...a, cameraId: state.cameraId, time: new Date(a.since).toISOString() },
        };
        if (a.state === 'raised')
          node.log(`${state.cameraId}: ${a.zone} ${a.measure} above ${a.above} for ${a.forSeconds} s`);
        send([null, null, alert]);
      }
      showStatus(Date.now(), out.zones);
      done();
    });

    node.on('close', (done: () => void) => {
      const closing = [...cameras.values()].map((s) => s.file.close());
      cameras.clear();
      node.status(Status.clear());
      void Promise.all(closing).then(() => done());
    });
  }

  RED.nodes.registerType('zone-monitor', ZoneMonitorNode);
};
