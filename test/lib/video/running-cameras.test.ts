import assert from 'node:assert/strict';
import { RunningCameras } from '../../../nodes/lib/video/running-cameras';

describe('running cameras (the ids rtsp-in nodes hold)', () => {
  it('refuses an id another node holds, also one a file name cannot tell apart', () => {
    const running = new RunningCameras();
    assert.equal(running.inUseProblem('front door'), null);
    running.claim('front door', 'n1');
    assert.match(
      String(running.inUseProblem('front door')),
      /camera id "front door" is used by another rtsp-in node/,
    );
    assert.match(String(running.inUseProblem('front_door')), /is used by another rtsp-in node/);
    running.release('front door', 'n1');
    assert.equal(running.inUseProblem('front_door'), null);
  });

  it("keeps each node's latest picture until it stops", () => {
    const running = new RunningCameras();
    running.claim('door', 'n1');
    running.setLatestFrame('n1', Buffer.from('jpeg'));
    assert.equal(String(running.latestFrame('n1')), 'jpeg');
    running.release('door', 'n1');
    assert.equal(running.latestFrame('n1'), undefined);
  });

  it('does not free an id another node holds when a node that never held it stops', () => {
    const running = new RunningCameras();
    running.claim('door', 'n1');
    running.release('door', 'n2');
    assert.notEqual(running.inUseProblem('door'), null);
  });
});
