import assert from 'node:assert/strict';
import { iou } from '../../../nodes/lib/geometry/box';
import { ByteTracker, TrackerOptions } from '../../../nodes/lib/track/byte-tracker';
import { MotBox, motMetrics } from '../../../nodes/lib/track/mot-metrics';
import { renderScene, SceneOptions, Walker } from '../../../support/detection/synthetic-scene';

/** The tracker over a scene, given the detections of frames 1, 1 + every, ... and predicting in between. */
function runTracker(scene: SceneOptions, options: Partial<TrackerOptions> = {}, every = 1) {
  const { frames, truth } = renderScene(scene);
  const tracker = new ByteTracker(options);
  const output: MotBox[] = [];
  for (const [i, f] of frames.entries()) {
    const tracks = i % every === 0 ? tracker.update(f.detections, f.at) : tracker.predict(f.at);
    for (const t of tracks) output.push({ frame: f.frame, id: t.id, box: t.box });
  }
  return { metrics: motMetrics(truth, output), output, tracker, truth };
}

/** Which tracker IDs covered a ground-truth person (by IoU >= 0.5), in order of appearance. */
function idsOf(person: number, truth: MotBox[], output: MotBox[]): number[] {
  const ids: number[] = [];
  for (const g of truth.filter((b) => b.id === person)) {
    const candidates = output.filter((o) => o.frame === g.frame && iou(o.box, g.box) >= 0.5);
    const hit = candidates.sort((a, b) => iou(b.box, g.box) - iou(a.box, g.box))[0];
    if (hit && ids[ids.length - 1] !== hit.id) ids.push(hit.id);
  }
  return ids;
}

const RED = [48, 52];
const BLUE = [3, 7];
const GREEN = [12, 28];
const GREY = [21, 42];
const YELLOW = [60, 56];

function walker(
  id: number,
  from: [number, number],
  to: [number, number],
  startS: number,
  endS: number,
  colour: number[],
  height = 90,
): Walker {
  return { id, from, to, startS, endS, height, colourBins: colour };
}

const report = (name: string, m: ReturnType<typeof motMetrics>) =>
  console.log(
    `      ${name}: MOTA ${m.mota.toFixed(3)}, IDF1 ${m.idf1.toFixed(3)}, ID switches ${m.idSwitches}, ` +
      `IDs ${m.trackerIds} for ${m.groundTruthIds} people (error ${(m.uniqueIdError * 100).toFixed(0)}%)`,
  );

describe('tracker on synthetic scenes with known truth', () => {
  it('keeps IDs through a crossing (two people walking into each other)', () => {
    const scene: SceneOptions = {
      fps: 10,
      durationS: 8,
      jitter: 0.03,
      walkers: [walker(1, [100, 400], [650, 400], 0, 8, RED), walker(2, [650, 410], [100, 410], 0, 8, BLUE)],
    };
    const { metrics, output, truth } = runTracker(scene);
    report('crossing', metrics);
    assert.equal(metrics.idSwitches, 0);
    assert.equal(metrics.trackerIds, 2);
    // Before and after the crossing each person is followed by one and the same ID.
    const before = output.filter((o) => o.frame === 10).sort((a, b) => a.box[0] - b.box[0]);
    const after = output.filter((o) => o.frame === 70).sort((a, b) => a.box[0] - b.box[0]);
    assert.deepEqual(
      after.map((o) => o.id),
      before.map((o) => o.id).reverse(),
    );
    void truth;
  });

  it('keeps the ID of a person hidden behind a pillar for 2 s', () => {
    // Walks 80 px/s; the pillar hides 160 px of the path = 2 s without any detection.
    const scene: SceneOptions = {
      fps: 10,
      durationS: 9,
      jitter: 0.02,
      occluders: [[340, 500]],
      walkers: [walker(1, [100, 420], [740, 420], 0, 8, GREEN)],
    };
    const { metrics, output, truth } = runTracker(scene);
    report('2 s occlusion', metrics);
    assert.deepEqual(idsOf(1, truth, output), [1]);
    assert.equal(metrics.trackerIds, 1);
  });

  it('gives each person entering and leaving one ID, and forgets them after they leave', () => {
    const walkers = [
      walker(1, [0, 300], [768, 320], 0, 6, RED),
      walker(2, [768, 500], [0, 480], 1, 7, BLUE, 120),
      walker(3, [300, 150], [500, 150], 3, 8, GREEN, 60),
      walker(4, [700, 250], [60, 560], 5, 12, GREY, 100),
      walker(5, [10, 560], [600, 200], 9, 15, YELLOW, 110),
    ];
    const { metrics, tracker } = runTracker({ fps: 10, durationS: 24, jitter: 0.03, walkers });
    report('enter/leave', metrics);
    assert.equal(metrics.trackerIds, 5);
    assert.equal(tracker.uniqueCount, 5);
    assert.ok(metrics.mota > 0.9 && metrics.idf1 > 0.9);
    // Everyone left more than the lost-track buffer ago: no state is kept for them.
    assert.equal(tracker.liveTrackCount, 0);
  });

  it('counts one ID per person despite noise, missed detections and false positives', () => {
    const walkers = [
      walker(1, [50, 300], [700, 300], 0, 10, RED),
      walker(2, [700, 330], [50, 330], 0, 10, BLUE),
      walker(3, [200, 550], [600, 250], 2, 12, GREEN, 110),
      walker(4, [600, 560], [150, 200], 4, 14, GREY, 100),
      walker(5, [380, 200], [380, 560], 6, 16, YELLOW, 120),
    ];
    const { metrics } = runTracker({
      fps: 10,
      durationS: 18,
      jitter: 0.05,
      missRate: 0.15,
      falsePositiveRate: 0.15,
      walkers,
      seed: 7,
    });
    report('noisy detector', metrics);
    assert.equal(metrics.trackerIds, 5, 'one-frame false positives get no ID, missed frames break no track');
    assert.ok(metrics.idSwitches <= 1);
    assert.ok(metrics.mota > 0.8, `MOTA ${metrics.mota}`);
    assert.ok(metrics.idf1 > 0.85, `IDF1 ${metrics.idf1}`);
  });

  it('gives the same result at 5 fps and at 25 fps (time, not frames)', () => {
    const walkers = [
      walker(1, [100, 400], [650, 400], 0, 8, RED),
      walker(2, [650, 410], [100, 410], 0, 8, BLUE),
    ];
    for (const fps of [5, 25]) {
      const { metrics } = runTracker({ fps, durationS: 9, jitter: 0.03, occluders: [[400, 470]], walkers });
      report(`${fps} fps`, metrics);
      assert.equal(metrics.trackerIds, 2, `${fps} fps`);
      assert.equal(metrics.idSwitches, 0, `${fps} fps`);
    }
  });

  it('gives a person who steps out of view and back within the lost buffer their old ID', () => {
    // Walks right to the edge, is out of view for 3 s, comes back the same way.
    const scene: SceneOptions = {
      fps: 10,
      durationS: 14,
      jitter: 0.02,
      walkers: [
        walker(1, [400, 400], [767, 400], 0, 5, GREEN),
        walker(1, [767, 400], [450, 380], 8, 13, GREEN),
      ],
    };
    const { metrics, tracker } = runTracker(scene);
    report('out and back in', metrics);
    assert.equal(tracker.uniqueCount, 1);
  });

  it('does not hand a lost ID to a newcomer dressed alike who enters where someone left', () => {
    // Same path and timing as above, but the newcomer shares only two of four colours
    // (similarity ~0.75: above the swap veto, below the re-identification threshold).
    const scene: SceneOptions = {
      fps: 10,
      durationS: 14,
      jitter: 0.02,
      walkers: [
        walker(1, [400, 400], [767, 400], 0, 5, [48, 52, 3, 7]),
        walker(2, [767, 400], [450, 380], 8, 13, [48, 52, 12, 28]),
      ],
    };
    const { metrics, tracker } = runTracker(scene);
    report('look-alike newcomer', metrics);
    assert.equal(tracker.uniqueCount, 2);
    assert.equal(metrics.idSwitches, 0);
  });

  it('each tracker counts its own IDs (two cameras do not share a counter) and reset starts again', () => {
    const scene: SceneOptions = {
      fps: 10,
      durationS: 3,
      walkers: [walker(1, [100, 400], [300, 400], 0, 3, RED)],
    };
    const a = runTracker(scene).tracker;
    const b = runTracker(scene).tracker;
    assert.equal(a.uniqueCount, 1);
    assert.equal(b.uniqueCount, 1);
    a.reset();
    assert.equal(a.uniqueCount, 0);
    assert.equal(a.liveTrackCount, 0);
  });

  it('moves confirmed tracks by prediction on frames the detector passed over', () => {
    const tracker = new ByteTracker();
    // One person walking right at 50 px/s, 10 fps; the detector sees every 3rd frame.
    const boxAt = (i: number): [number, number, number, number] => [100 + 5 * i, 200, 140 + 5 * i, 300];
    let lastPredicted: ReturnType<ByteTracker['predict']> = [];
    for (let i = 0; i < 60; i++) {
      if (i % 3 === 0) tracker.update([{ box: boxAt(i), score: 0.9 }], i * 100);
      else lastPredicted = tracker.predict(i * 100);
    }
    assert.equal(tracker.uniqueCount, 1);
    assert.equal(lastPredicted.length, 1);
    assert.ok(iou(lastPredicted[0].box, boxAt(59)) > 0.8, `predicted ${lastPredicted[0].box}`);
    // A passed-over frame may overtake a detected one: predicting does not move the filters.
    tracker.predict(7000);
    assert.equal(tracker.update([{ box: boxAt(60), score: 0.9 }], 6000).length, 1);
  });
});

describe('tracker with sparse detections (the detector on every 2nd or 4th frame, predicting between)', () => {
  const crowd = [
    walker(1, [50, 300], [700, 300], 0, 10, RED),
    walker(2, [700, 330], [50, 330], 0, 10, BLUE),
    walker(3, [200, 550], [600, 250], 2, 12, GREEN, 110),
    walker(4, [600, 560], [150, 200], 4, 14, GREY, 100),
    walker(5, [380, 200], [380, 560], 6, 16, YELLOW, 120),
  ];
  const noisy: SceneOptions = {
    fps: 10,
    durationS: 18,
    jitter: 0.05,
    missRate: 0.1,
    walkers: crowd,
    seed: 7,
  };

  for (const every of [2, 4]) {
    it(`every ${every}: one ID per person, and accuracy within a few points of detecting every frame`, () => {
      const full = runTracker(noisy).metrics;
      const { metrics, tracker } = runTracker(noisy, {}, every);
      report(`every frame`, full);
      report(`every ${every}`, metrics);
      assert.equal(tracker.uniqueCount, 5);
      assert.ok(metrics.idSwitches <= 1, `${metrics.idSwitches} ID switches`);
      assert.ok(metrics.idf1 >= full.idf1 - 0.05, `IDF1 ${metrics.idf1} against ${full.idf1}`);
      assert.ok(metrics.mota >= full.mota - 0.08, `MOTA ${metrics.mota} against ${full.mota}`);
    });

    it(`every ${every}: keeps the ID of a person hidden behind a pillar for 2 s, and of two people crossing`, () => {
      const pillar = runTracker(
        {
          fps: 10,
          durationS: 9,
          jitter: 0.02,
          occluders: [[340, 500]],
          walkers: [walker(1, [100, 420], [740, 420], 0, 8, GREEN)],
        },
        {},
        every,
      );
      assert.deepEqual(idsOf(1, pillar.truth, pillar.output), [1]);
      const crossing = runTracker(
        {
          fps: 10,
          durationS: 8,
          jitter: 0.03,
          walkers: [
            walker(1, [100, 400], [650, 400], 0, 8, RED),
            walker(2, [650, 410], [100, 410], 0, 8, BLUE),
          ],
        },
        {},
        every,
      );
      assert.equal(crossing.metrics.idSwitches, 0);
      assert.equal(crossing.metrics.trackerIds, 2);
    });
  }

  it('follows a narrow walker between detections 0.4 s apart (the gate grows with the time unseen)', () => {
    // 25 px wide, 62 px tall, 60 px/s (as people on the demo clip): a width between two detections.
    const tracker = new ByteTracker();
    const boxAt = (i: number): [number, number, number, number] => [50 + 6 * i, 200, 75 + 6 * i, 262];
    const ids = new Set<number>();
    let predicted: ReturnType<ByteTracker['predict']> = [];
    for (let i = 0; i < 40; i++) {
      const tracks =
        i % 4 === 0 ? tracker.update([{ box: boxAt(i), score: 0.9 }], i * 100) : tracker.predict(i * 100);
      for (const t of tracks) ids.add(t.id);
      if (i % 4 !== 0) predicted = tracks;
    }
    assert.deepEqual([...ids], [1]);
    assert.equal(tracker.uniqueCount, 1);
    // Predicted on the frames between: where the person is, not where they were last seen.
    assert.ok(iou(predicted[0].box, boxAt(39)) > 0.5, `predicted ${predicted[0].box} for ${boxAt(39)}`);
  });

  it('confirms a person within the same time as at every frame, not after 3 sparse detections', () => {
    const tracker = new ByteTracker();
    const box: [number, number, number, number] = [100, 100, 140, 200];
    tracker.update([{ box, score: 0.9 }], 0);
    for (let i = 1; i < 4; i++) tracker.predict(i * 100);
    // The second detection, 0.4 s after the first, is evidence enough.
    assert.equal(tracker.update([{ box, score: 0.9 }], 400).length, 1);
  });
});
