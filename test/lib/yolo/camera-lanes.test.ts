import assert from 'node:assert/strict';
import type { GreyFrame } from '../../../nodes/lib/motion/motion-detector';
import type { LaneDetector, LaneFrame } from '../../../nodes/lib/yolo/camera-lane';
import { CameraLanes, IDLE_CAMERA_MS } from '../../../nodes/lib/yolo/camera-lanes';
import type { CameraDetectionStats } from '../../../nodes/lib/yolo/detection-stats';
import { DEFAULT_DETECTION_POLICY } from '../../../nodes/lib/yolo/detection-policy';
import type { DetectRequest, DetectResult } from '../../../nodes/lib/yolo/detector';
import type { DetectOutcome } from '../../../nodes/lib/yolo/shared-detector';

const REQUEST: DetectRequest = { scoreThreshold: 0.5, iouThreshold: 0.7, classes: [0] };

function result(people: number, inferenceMs = 40): DetectResult {
  return {
    detections: Array.from({ length: people }, () => ({
      box: [0, 0, 10, 20],
      score: 0.9,
      classId: 0,
      label: 'person',
    })),
    width: 768,
    height: 576,
    timings: { decodeMs: 1, inferenceMs, postprocessMs: 1 },
  } as DetectResult;
}

/** A model the test answers by hand: each detect() waits until `answer` or `fail`. */
class FakeClient implements LaneDetector {
  readonly asked: Array<{ resolve: (o: DetectOutcome) => void; reject: (e: Error) => void }> = [];
  closed = false;
  /** Answers at once, with nobody in view. */
  static answering = false;
  detect(): Promise<DetectOutcome> {
    if (FakeClient.answering) return Promise.resolve({ kind: 'done', result: result(0) });
    return new Promise((resolve, reject) => this.asked.push({ resolve, reject }));
  }
  close(): void {
    this.closed = true;
  }
  answer(i: number, people: number): void {
    this.asked[i].resolve({ kind: 'done', result: result(people) });
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function lanes(options: { motionGate?: boolean; request?: () => Promise<DetectRequest> } = {}) {
  const clients: FakeClient[] = [];
  const released: Array<{ frame: string; outcome: string; stats: CameraDetectionStats }> = [];
  const lanes = new CameraLanes<string>({
    newClient: () => {
      const client = new FakeClient();
      clients.push(client);
      return client;
    },
    policy: { ...DEFAULT_DETECTION_POLICY, motionGate: options.motionGate ?? false },
    request: options.request ?? (() => Promise.resolve(REQUEST)),
    release: (frame, outcome, stats) =>
      released.push({
        frame,
        outcome:
          outcome.kind === 'detected' ? `detected:${outcome.result.detections.length}` : outcome.reason,
        stats,
      }),
  });
  return { lanes, clients, released };
}

const still: GreyFrame = { data: new Uint8Array(96 * 72).fill(120), width: 96, height: 72 };

function frame(name: string, capturedAt: number, thumbnail: GreyFrame | null = null): LaneFrame<string> {
  return { frame: name, jpeg: Buffer.from('not read by the fake model'), capturedAt, thumbnail };
}

describe('camera lanes (yolo-detect per camera)', () => {
  it('gives each camera its own detector handle, and releases its frames with the answer', async () => {
    const { lanes: l, clients, released } = lanes();
    const a = l.take('door', frame('a1', 0), 0);
    const b = l.take('till', frame('b1', 0), 0);
    await flush();
    assert.equal(clients.length, 2, 'one handle per camera');
    clients[1].answer(0, 2);
    await b;
    assert.deepEqual(
      released.map((r) => [r.frame, r.outcome]),
      [['b1', 'detected:2']],
      'one camera does not wait for the other',
    );
    clients[0].answer(0, 0);
    await a;
    assert.equal(released[1].outcome, 'detected:0');
    assert.equal(released[1].stats.detected, 1);
  });

  it('passes still frames over once the motion background has learnt the view', async () => {
    const { lanes: l, released } = lanes({ motionGate: true });
    FakeClient.answering = true;
    try {
      // Captured 100 ms apart; taken now (a camera quiet for a minute would be forgotten).
      for (let i = 0; i < 40; i++) await l.take('door', frame(`f${i}`, i * 100, still), Date.now());
      assert.equal(released.length, 40, 'every frame goes on');
      const skipped = released.filter((r) => r.outcome === 'no-motion').length;
      assert.ok(skipped > 20, `most still frames skipped (${skipped})`);
      assert.equal(released[39].stats.skippedByMotion, skipped);
      l.second(Date.now());
      await l.take('door', frame('f40', 4000, still), Date.now());
      assert.equal(l.second(Date.now()).idleCameras, 1, 'a second of still frames only: idle');
    } finally {
      FakeClient.answering = false;
    }
  });

  it('counts a frame a newer one replaced as dropped under load', async () => {
    const { lanes: l, clients, released } = lanes();
    const first = l.take('door', frame('f1', 0), 0);
    await flush();
    clients[0].asked[0].resolve({ kind: 'dropped' });
    await first;
    assert.deepEqual(
      released.map((r) => [r.frame, r.outcome, r.stats.droppedByLoad]),
      [['f1', 'load', 1]],
    );
  });

  it('lets a frame the model failed on go on, and rejects with the error', async () => {
    const { lanes: l, clients, released } = lanes();
    const taken = l.take('door', frame('f1', 0), 0);
    await flush();
    clients[0].asked[0].reject(new Error('the model broke'));
    await assert.rejects(taken, /the model broke/);
    assert.deepEqual(
      released.map((r) => r.outcome),
      ['error'],
    );
  });

  it('lets frames go on without the model when it never loads', async () => {
    const { lanes: l, released } = lanes({ request: () => Promise.reject(new Error('no such model')) });
    await assert.rejects(l.take('door', frame('f1', 0), 0), /no such model/);
    assert.deepEqual(
      released.map((r) => r.outcome),
      ['error'],
    );
  });

  it('sums the figures of a second and forgets a camera idle for a minute', async () => {
    const { lanes: l, clients } = lanes();
    const start = Date.now(); // the rate meters run on the clock
    const taken = l.take('door', frame('f1', start), start);
    await flush();
    clients[0].asked[0].resolve({ kind: 'done', result: result(1, 55) });
    await taken;
    const second = l.second(start + 1000);
    assert.equal(second.cameras, 1);
    assert.equal(second.lastInferenceMs, 55);
    assert.ok(second.framesPerSecond > 0);
    assert.equal(second.idleCameras, 0);
    assert.equal(l.second(start + IDLE_CAMERA_MS + 1).cameras, 0, 'idle camera forgotten');
    assert.equal(clients[0].closed, true, 'its detector handle closed');
  });

  it('releases nothing after close, and closes every handle', async () => {
    const { lanes: l, clients, released } = lanes();
    const taken = l.take('door', frame('f1', 0), 0);
    await flush();
    l.close();
    assert.equal(clients[0].closed, true);
    clients[0].answer(0, 1);
    await taken;
    assert.deepEqual(released, []);
  });
});
