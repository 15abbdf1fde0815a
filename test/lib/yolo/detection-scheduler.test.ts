import assert from 'node:assert/strict';
import { DetectionScheduler, type Urgency } from '../../../nodes/lib/yolo/detection-scheduler';
import { random } from '../../../support/detection/synthetic-scene';

describe('DetectionScheduler', () => {
  it('gives a free session nothing when no camera waits', () => {
    const scheduler = new DetectionScheduler<string>();
    assert.equal(scheduler.pick(0), null);
    scheduler.want('a', 'active', 0);
    assert.equal(scheduler.pick(0), 'a');
    assert.equal(scheduler.pick(0), null, 'a picked frame stops waiting');
    assert.equal(scheduler.dispatched('a'), 1);
  });

  it("serves an 'active' camera before a 'refresh' one that came first and was served less", () => {
    const scheduler = new DetectionScheduler<string>();
    scheduler.want('active', 'active', 0);
    assert.equal(scheduler.pick(0), 'active');
    scheduler.want('refresh', 'refresh', 10);
    scheduler.want('active', 'active', 20);
    assert.equal(scheduler.pick(30), 'active');
    assert.equal(scheduler.pick(30), 'refresh', 'with no active camera waiting, a refresh is served');
  });

  it('serves the camera served least recently first, a never-served one before all', () => {
    const scheduler = new DetectionScheduler<string>();
    for (const key of ['a', 'b', 'c']) scheduler.want(key, 'active', 0);
    assert.deepEqual(
      [scheduler.pick(0), scheduler.pick(0), scheduler.pick(0)],
      ['a', 'b', 'c'],
      'by arrival',
    );
    // c, then a arrive again; a was served longer ago, so it goes first; new camera d before both.
    scheduler.want('c', 'active', 1);
    scheduler.want('a', 'active', 2);
    scheduler.want('d', 'active', 3);
    assert.deepEqual([scheduler.pick(4), scheduler.pick(4), scheduler.pick(4)], ['d', 'a', 'c']);
  });

  it("lets a 'refresh' camera that waited longer than maxRefreshWaitMs compete with the active ones", () => {
    const scheduler = new DetectionScheduler<string>({ maxRefreshWaitMs: 2000 });
    scheduler.want('empty', 'refresh', 0);
    scheduler.want('busy', 'active', 0);
    assert.equal(scheduler.pick(100), 'busy');
    scheduler.want('busy', 'active', 150);
    assert.equal(scheduler.pick(2000), 'busy', 'at 2000 ms it has not waited longer than 2000 ms');
    scheduler.want('busy', 'active', 2001);
    assert.equal(scheduler.pick(2001), 'empty', 'overdue, and never served');
    assert.equal(scheduler.dispatched('empty'), 1);
  });

  it('does not let an overdue refresh go ahead of an active camera served even longer ago', () => {
    // So that refreshes of many empty cameras cannot starve the ones with people (see the class doc).
    const scheduler = new DetectionScheduler<string>({ maxRefreshWaitMs: 100 });
    scheduler.want('people', 'active', 0);
    scheduler.want('empty', 'refresh', 0);
    assert.equal(scheduler.pick(0), 'people');
    assert.equal(scheduler.pick(0), 'empty');
    scheduler.want('people', 'active', 1);
    scheduler.want('empty', 'refresh', 1);
    assert.equal(scheduler.pick(500), 'people', 'both overdue or active: least recently served first');
    assert.equal(scheduler.pick(500), 'empty');
  });

  it('keeps a camera its place and waiting time when a newer frame replaces its waiting one', () => {
    const scheduler = new DetectionScheduler<string>({ maxRefreshWaitMs: 1000 });
    scheduler.want('a', 'active', 0);
    scheduler.want('b', 'active', 0);
    assert.equal(scheduler.pick(0), 'a');
    assert.equal(scheduler.pick(0), 'b');
    scheduler.want('b', 'refresh', 10);
    scheduler.want('a', 'active', 20);
    scheduler.want('b', 'refresh', 900);
    assert.equal(scheduler.pick(1020), 'a', 'b has waited 1010 ms, but a was served longer ago');
    scheduler.want('a', 'active', 1030);
    scheduler.want('b', 'refresh', 1040);
    assert.equal(
      scheduler.pick(1050),
      'b',
      'b waits since 10 ms: overdue, though its newest frame is 10 ms old',
    );
    scheduler.want('a', 'refresh', 1060);
    assert.equal(scheduler.isWaiting('a'), true);
    scheduler.want('b', 'active', 1070);
    assert.equal(scheduler.pick(1080), 'b', 'a took the new urgency: refresh, not yet overdue');
  });

  it('cancel takes a waiting camera out and keeps its counters; forget drops them', () => {
    const scheduler = new DetectionScheduler<string>();
    scheduler.want('a', 'active', 0);
    scheduler.want('b', 'active', 0);
    assert.equal(scheduler.pick(0), 'a');
    scheduler.want('a', 'active', 1);
    scheduler.cancel('b');
    assert.equal(scheduler.isWaiting('b'), false);
    assert.equal(scheduler.pick(2), 'a', 'b no longer waits');
    assert.equal(scheduler.pick(2), null);
    assert.equal(scheduler.dispatched('a'), 2);
    scheduler.cancel('nobody');

    scheduler.want('a', 'active', 3);
    assert.equal(scheduler.pick(3), 'a');
    scheduler.want('a', 'active', 4);
    scheduler.forget('a');
    assert.equal(scheduler.pick(5), null, 'a forgotten camera no longer waits');
    assert.equal(scheduler.dispatched('a'), 0);
    scheduler.want('c', 'active', 6);
    assert.equal(scheduler.pick(6), 'c');
    scheduler.want('c', 'active', 7);
    scheduler.want('a', 'active', 8);
    assert.equal(scheduler.pick(9), 'a', 'back after forget: never served');
  });
});

/** A dispatch in a simulation: which camera's frame went to a session, when, and after what wait. */
interface Dispatch {
  camera: number;
  time: number;
  /** When the camera started waiting for it. */
  since: number;
  /** How many dispatches had happened then: the ones from there to this one happened while it waited. */
  sinceIndex: number;
}

/**
 * Cameras, sessions and inference times in simulated time: an event queue of frame arrivals and
 * finished inferences, and a scheduler that hands free sessions the frames, as SharedDetector does.
 */
class Simulation {
  now = 0;
  readonly dispatches: Dispatch[] = [];
  private readonly events: { time: number; order: number; run: () => void }[] = [];
  private order = 0;
  private freeSessions: number;
  private readonly waitingSince = new Map<number, { time: number; index: number }>();

  /**
   * @param afterDispatch The camera's next frame: in how many ms it arrives and how urgent it is,
   *   or null for none. 0 ms means it is already there: it waits at once, before any other pick.
   */
  constructor(
    readonly scheduler: DetectionScheduler<number>,
    sessions: number,
    private readonly inferenceMs: () => number,
    private readonly afterDispatch: (camera: number) => { inMs: number; urgency: Urgency } | null,
  ) {
    this.freeSessions = sessions;
  }

  at(time: number, run: () => void): void {
    this.events.push({ time, order: this.order++, run });
  }

  /** A frame of `camera` arrives now. */
  frame(camera: number, urgency: Urgency): void {
    this.want(camera, urgency);
    this.fill();
  }

  /** The first frames of all these cameras, in this order, arrive now together. */
  start(cameras: number[], urgency: (camera: number) => Urgency): void {
    for (const camera of cameras) this.want(camera, urgency(camera));
    this.fill();
  }

  run(until: number): void {
    for (;;) {
      let next = -1;
      for (let i = 0; i < this.events.length; i++) {
        const e = this.events[i];
        const best = this.events[next];
        if (next < 0 || e.time < best.time || (e.time === best.time && e.order < best.order)) next = i;
      }
      if (next < 0 || this.events[next].time > until) return;
      const [event] = this.events.splice(next, 1);
      this.now = event.time;
      event.run();
    }
  }

  private want(camera: number, urgency: Urgency): void {
    this.scheduler.want(camera, urgency, this.now);
    if (!this.waitingSince.has(camera)) {
      this.waitingSince.set(camera, { time: this.now, index: this.dispatches.length });
    }
  }

  /** Gives every free session a waiting frame, as SharedDetector.pump does. */
  private fill(): void {
    while (this.freeSessions > 0) {
      const camera = this.scheduler.pick(this.now);
      if (camera === null) return;
      this.freeSessions--;
      const since = this.waitingSince.get(camera)!;
      this.dispatches.push({ camera, time: this.now, since: since.time, sinceIndex: since.index });
      this.waitingSince.delete(camera);
      this.at(this.now + this.inferenceMs(), () => {
        this.freeSessions++;
        this.fill();
      });
      const next = this.afterDispatch(camera);
      if (next?.inMs === 0) this.want(camera, next.urgency);
      else if (next) this.at(this.now + next.inMs, () => this.frame(camera, next.urgency));
    }
  }
}

function integer(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function counts(dispatches: Dispatch[], cameras: number): number[] {
  const n = new Array<number>(cameras).fill(0);
  for (const d of dispatches) n[d.camera]++;
  return n;
}

describe('DetectionScheduler fairness (property tests, seeded)', () => {
  it('while a camera waits, no other active camera is served twice (any frame rates, sessions, times)', () => {
    // The invariant the shares rest on: another camera's first dispatch makes it more recently
    // served than the waiting one, which then goes ahead of it.
    for (let seed = 1; seed <= 200; seed++) {
      const rng = random(seed);
      const cameras = integer(rng, 2, 16);
      const sessions = integer(rng, 1, 4);
      const minMs = 20 + rng() * 100;
      const maxMs = minMs * (1 + rng() * 3);
      // Each camera sends frames at its own random intervals, some faster than the model, some slower.
      const frameGapMs = Array.from({ length: cameras }, () => 5 + rng() * 400);
      const scheduler = new DetectionScheduler<number>();
      const sim = new Simulation(
        scheduler,
        sessions,
        () => minMs + rng() * (maxMs - minMs),
        () => null,
      );
      for (let camera = 0; camera < cameras; camera++) {
        const arrive = (): void => {
          sim.frame(camera, 'active');
          sim.at(sim.now + rng() * 2 * frameGapMs[camera], arrive);
        };
        sim.at(rng() * frameGapMs[camera], arrive);
      }
      sim.run(30_000);
      assert.ok(sim.dispatches.length > 50, `seed ${seed}`);
      for (const [i, d] of sim.dispatches.entries()) {
        const servedWhileWaiting = sim.dispatches.slice(d.sinceIndex, i).map((e) => e.camera);
        assert.equal(
          new Set(servedWhileWaiting).size,
          servedWhileWaiting.length,
          `seed ${seed}: while camera ${d.camera} waited: ${servedWhileWaiting.join(',')}`,
        );
      }
    }
  });

  it('gives every busy camera an equal share: round-robin, so none falls below floor(total / cameras)', () => {
    // "Busy": a camera's next frame is there before its turn comes round again. With more cameras
    // than sessions it arrives within the shortest inference time after the last one left: in that
    // time each other session starts at most one inference, so at most sessions - 1 <= cameras - 2
    // dispatches come before it, fewer than the cameras - 1 others ahead of it. With no more cameras
    // than sessions, a session can free the instant after a dispatch, so only a frame already there
    // is sure to be in time. All start waiting together; then the least recently served camera is always waiting at each pick,
    // the dispatches are strict round-robin (period = cameras), and no two cameras' counts differ by
    // more than one: each gets at least floor(total / cameras), so also the floor - 1.
    for (let seed = 1; seed <= 300; seed++) {
      const rng = random(seed);
      const cameras = integer(rng, 2, 16);
      const sessions = integer(rng, 1, 4);
      const minMs = 20 + rng() * 100;
      const maxMs = minMs * (1 + rng() * 3);
      const scheduler = new DetectionScheduler<number>();
      const sim = new Simulation(
        scheduler,
        sessions,
        () => minMs + rng() * (maxMs - minMs),
        () => ({ inMs: cameras > sessions ? rng() * minMs * 0.999 : 0, urgency: 'active' }),
      );
      const order = Array.from({ length: cameras }, (_, i) => i).sort(() => rng() - 0.5);
      sim.start(order, () => 'active');
      sim.run(Math.ceil(cameras / sessions) * maxMs * (20 + rng() * 20));

      const total = sim.dispatches.length;
      const n = counts(sim.dispatches, cameras);
      const context = `seed ${seed}: ${cameras} cameras, ${sessions} sessions, counts ${n.join(',')}`;
      assert.ok(total >= cameras * 10, context);
      for (const count of n) assert.ok(count >= Math.floor(total / cameras), context);
      assert.ok(Math.max(...n) - Math.min(...n) <= 1, context);
      sim.dispatches.forEach((d, i) =>
        assert.equal(d.camera, sim.dispatches[i % cameras].camera, `${context}: dispatch ${i}`),
      );
    }
  });

  it('gives a camera sending frames 5x as often no more than one sending at a fifth of the rate', () => {
    const rng = random(7);
    const scheduler = new DetectionScheduler<string>();
    // One session at 150-250 ms an inference; both cameras' next frames come before their turn.
    let free = 1;
    const frames = { fast: 0, slow: 0 };
    const events: { time: number; run: () => void }[] = [];
    let now = 0;
    const fill = (): void => {
      while (free > 0 && scheduler.pick(now) !== null) {
        free--;
        events.push({
          time: now + 150 + rng() * 100,
          run: () => {
            free++;
            fill();
          },
        });
      }
    };
    const camera = (key: 'fast' | 'slow', everyMs: number): void => {
      const arrive = (): void => {
        frames[key]++;
        scheduler.want(key, 'active', now);
        fill();
        events.push({ time: now + everyMs * (0.5 + rng()), run: arrive });
      };
      events.push({ time: rng() * everyMs, run: arrive });
    };
    camera('fast', 20);
    camera('slow', 100);
    while (now < 60_000) {
      events.sort((a, b) => a.time - b.time);
      const event = events.shift()!;
      now = event.time;
      event.run();
    }
    const fast = scheduler.dispatched('fast');
    const slow = scheduler.dispatched('slow');
    assert.ok(frames.fast > 4 * frames.slow, `frames ${frames.fast} vs ${frames.slow}`);
    assert.ok(fast + slow > 250, `${fast + slow} detections in a minute`);
    assert.ok(Math.abs(fast - slow) <= 1, `detections ${fast} vs ${slow}`);
  });

  it("serves 'refresh' cameras less than active ones, yet each within maxRefreshWaitMs + its turn", () => {
    // A refresh camera that has waited past maxRefreshWaitMs joins the active class, where every
    // camera served after it goes behind it. The busy active cameras (always a frame waiting) are each
    // served within a round of ceil(cameras / sessions) inferences, shorter than maxRefreshWaitMs here,
    // so all were served after the refresh camera's last dispatch: only the other overdue refresh
    // cameras, each once, can go first. Every session is busy while it waits, finishing an inference
    // at least every maxMs, so it is served within maxRefreshWaitMs + ceil(refresh / sessions) * maxMs
    // of its frame: one inference time when there are no more refresh cameras than sessions.
    for (let seed = 1; seed <= 200; seed++) {
      const rng = random(1000 + seed);
      const cameras = integer(rng, 3, 16);
      const sessions = integer(rng, 1, 4);
      const refresh = integer(rng, 1, cameras - 1);
      const minMs = 20 + rng() * 100;
      const maxMs = minMs * (1 + rng() * 3);
      const round = Math.ceil(cameras / sessions) * maxMs;
      // At least twice a round plus one inference, so an active camera gets at least twice the detections.
      const maxRefreshWaitMs = (round + maxMs) * (2 + rng());
      const isRefresh = (camera: number): boolean => camera < refresh;
      const scheduler = new DetectionScheduler<number>({ maxRefreshWaitMs });
      const sim = new Simulation(
        scheduler,
        sessions,
        () => minMs + rng() * (maxMs - minMs),
        (camera) =>
          isRefresh(camera)
            ? { inMs: rng() * 3 * maxMs, urgency: 'refresh' }
            : { inMs: 0, urgency: 'active' },
      );
      const order = Array.from({ length: cameras }, (_, i) => i).sort(() => rng() - 0.5);
      sim.start(order, (camera) => (isRefresh(camera) ? 'refresh' : 'active'));
      sim.run(maxRefreshWaitMs * 20);

      const n = counts(sim.dispatches, cameras);
      const context = `seed ${seed}: ${cameras} cameras (${refresh} refresh), ${sessions} sessions, counts ${n.join(',')}`;
      const bound = maxRefreshWaitMs + Math.ceil(refresh / sessions) * maxMs;
      for (const d of sim.dispatches) {
        if (isRefresh(d.camera))
          assert.ok(d.time - d.since <= bound, `${context}: waited ${d.time - d.since} ms`);
      }
      const fewestActive = Math.min(...n.slice(refresh));
      for (let camera = 0; camera < refresh; camera++) {
        assert.ok(n[camera] >= 5, `${context}: refresh camera ${camera} starved`);
        assert.ok(n[camera] < fewestActive, context);
      }
      // A refresh camera still waiting at the end has not waited past the bound either.
      for (let camera = 0; camera < refresh; camera++) {
        if (!scheduler.isWaiting(camera)) continue;
        const last = sim.dispatches.filter((d) => d.camera === camera).at(-1)!;
        assert.ok(sim.now - last.time <= bound + 3 * maxMs, context);
      }
    }
  });
});
