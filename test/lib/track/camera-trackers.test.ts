import assert from 'node:assert/strict';
import { DEFAULT_TRACKER_OPTIONS } from '../../../nodes/lib/track/byte-tracker';
import { CameraTrackers, isDetectionList } from '../../../nodes/lib/track/camera-trackers';
import type { TrackInput } from '../../../nodes/lib/track/track';

const person = (x: number): TrackInput => ({ box: [x, 100, x + 40, 200], score: 0.9 });

/** Frames 100 ms apart with the same people walking right 5 px a frame. */
function walk(trackers: CameraTrackers, camera: string, people: number[], frames: number, start = 0) {
  let last;
  for (let i = 0; i < frames; i++) {
    const at = start + i * 100;
    last = trackers.frame(
      camera,
      people.map((x) => person(x + i * 5)),
      at,
      at,
    );
  }
  return last!;
}

describe('camera trackers (one tracker per camera)', () => {
  it('follows each camera with its own IDs', () => {
    const trackers = new CameraTrackers(DEFAULT_TRACKER_OPTIONS);
    const door = walk(trackers, 'door', [0, 300], 10);
    const till = walk(trackers, 'till', [50], 10);
    assert.deepEqual(door.counts, { inView: 2, unique: 2 });
    assert.deepEqual(till.counts, { inView: 1, unique: 1 });
    assert.deepEqual(trackers.cameras(), ['door', 'till']);
    assert.deepEqual(
      trackers.statusCounts().map((c) => [c.inView, c.unique]),
      [
        [2, 2],
        [1, 1],
      ],
    );
  });

  it('moves the tracks by prediction on a frame without detections', () => {
    const trackers = new CameraTrackers(DEFAULT_TRACKER_OPTIONS);
    const seen = walk(trackers, 'door', [0], 10);
    const predicted = trackers.frame('door', null, 1000, 1000);
    assert.equal(predicted.tracks.length, 1);
    assert.equal(predicted.tracks[0].id, seen.tracks[0].id);
    assert.ok(predicted.tracks[0].box[0] > seen.tracks[0].box[0], 'moved on');
  });

  it('starts the IDs of the cameras reset again from 0', () => {
    const trackers = new CameraTrackers(DEFAULT_TRACKER_OPTIONS);
    walk(trackers, 'door', [0], 10);
    walk(trackers, 'till', [0], 10);
    trackers.reset(['door'], 5000);
    const counts = trackers.statusCounts();
    assert.deepEqual(counts[0], { inView: 0, unique: 0, since: 5000 });
    assert.equal(counts[1].unique, 1, 'the other camera keeps its count');
  });
});

describe('detection list', () => {
  it('takes boxes of four finite numbers with a score', () => {
    assert.equal(isDetectionList([]), true);
    assert.equal(isDetectionList([person(0)]), true);
    assert.equal(isDetectionList([{ box: [0, 0, 1], score: 1 }]), false);
    assert.equal(isDetectionList([{ box: [0, 0, 1, 1] }]), false);
    assert.equal(isDetectionList([null]), false);
    assert.equal(isDetectionList('people'), false);
  });
});
