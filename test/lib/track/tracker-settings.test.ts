import assert from 'node:assert/strict';
import { DEFAULT_TRACKER_OPTIONS } from '../../../nodes/lib/track/byte-tracker';
import { trackerOptionsOf } from '../../../nodes/lib/track/tracker-settings';

describe("tracker settings (the tracker node's fields)", () => {
  it('takes the defaults for blank fields and reads numbers from the form', () => {
    assert.deepEqual(trackerOptionsOf({}), DEFAULT_TRACKER_OPTIONS);
    assert.deepEqual(trackerOptionsOf({ lostTrackBufferSeconds: '5', minimumHitsToConfirm: '' }), {
      ...DEFAULT_TRACKER_OPTIONS,
      lostTrackBufferSeconds: 5,
    });
  });

  it('says which option is out of range', () => {
    assert.equal(
      trackerOptionsOf({ minimumMatchingIou: '0' }),
      'minimumMatchingIou must be between 0.01 and 1',
    );
    assert.equal(
      trackerOptionsOf({ lostTrackBufferSeconds: 601 }),
      'lostTrackBufferSeconds must be between 0 and 600',
    );
  });

  it('refuses a low score threshold above the activation threshold', () => {
    assert.equal(
      trackerOptionsOf({ trackActivationThreshold: 0.4, lowScoreThreshold: 0.5 }),
      'lowScoreThreshold must not be above trackActivationThreshold',
    );
  });
});
