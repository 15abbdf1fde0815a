import assert from 'node:assert/strict';
import { feedStatusText } from '../../../nodes/lib/video/feed-status';

describe("feed status (mjpeg-out's status line)", () => {
  it('waits for frames, then says how many watch', () => {
    const feed = { path: '/video_feed', cameras: 0, viewers: 1, framesReceived: 0 };
    assert.deepEqual(feedStatusText(feed), {
      state: 'connecting',
      text: '/video_feed: waiting for frames, 1 viewer(s)',
    });
    assert.deepEqual(feedStatusText({ ...feed, cameras: 1, framesReceived: 5 }), {
      state: 'ok',
      text: '/video_feed, 1 viewer(s)',
    });
    assert.deepEqual(feedStatusText({ ...feed, cameras: 1, viewers: 0, framesReceived: 5 }), {
      state: 'idle',
      text: '/video_feed, no viewers',
    });
  });

  it('names the number of cameras when there are several', () => {
    const feed = { path: '/overlay_feed', cameras: 3, viewers: 2, framesReceived: 9 };
    assert.equal(feedStatusText(feed).text, '/overlay_feed: 3 cameras, 2 viewer(s)');
  });
});
