import assert from 'node:assert/strict';
import { MAX_AUTO_SESSIONS, sessionCount } from '../../../nodes/lib/yolo/session-plan';

describe('sessionCount', () => {
  it('takes a configured number as it is', () => {
    assert.equal(sessionCount(3, 1, 2), 3);
  });

  it('on auto fills the cores with sessions of `threads` threads', () => {
    assert.equal(sessionCount(0, 1, 2), 2);
    assert.equal(sessionCount(0, 2, 2), 1);
    assert.equal(sessionCount(0, 2, 8), 4);
    assert.equal(sessionCount(0, 4, 2), 1, 'at least one');
    assert.equal(sessionCount(0, 1, 64), MAX_AUTO_SESSIONS, 'each holds a copy of the model');
  });
});
