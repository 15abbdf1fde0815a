import assert from 'node:assert/strict';
import { NO_VIEWERS_HOLD_MS, OverlaySchedule } from '../../../nodes/lib/heatmap/overlay-schedule';

describe('OverlaySchedule: when to draw a camera overlay', () => {
  it('keeps a clock per camera, never two at once for one camera', () => {
    const schedule = new OverlaySchedule(5);
    assert.ok(schedule.begin('door', 0));
    assert.ok(schedule.begin('till', 0), 'another camera is not held up');
    assert.ok(!schedule.begin('door', 300), 'busy: the frame is skipped, not queued');
    schedule.end('door');
    assert.ok(!schedule.begin('door', 100), 'at most 5 per second');
    assert.ok(schedule.begin('door', 300));
  });

  it('draws nothing for a camera nobody watches, nor with fps 0', () => {
    const schedule = new OverlaySchedule(5);
    schedule.setViewers('door', 0, 0);
    assert.ok(!schedule.begin('door', 100));
    assert.ok(schedule.begin('till', 100), 'another camera is drawn');
    schedule.setViewers('door', 2, 200);
    assert.ok(schedule.begin('door', 300));
    assert.ok(!new OverlaySchedule(0).begin('door', 0));
  });

  it('draws while any feed of the camera has viewers (two feeds, one watched)', () => {
    const schedule = new OverlaySchedule(5);
    schedule.setViewers('door', 0, 0, 'dashboard-feed');
    schedule.setViewers('door', 1, 0, 'wall-screen');
    assert.ok(schedule.begin('door', 100));
  });

  it('draws again when "nobody watches" is not repeated (the feed was redeployed): never dark for good', () => {
    const schedule = new OverlaySchedule(5);
    schedule.setViewers('door', 0, 0);
    assert.ok(!schedule.begin('door', NO_VIEWERS_HOLD_MS - 1));
    assert.ok(schedule.begin('door', NO_VIEWERS_HOLD_MS));
  });
});
