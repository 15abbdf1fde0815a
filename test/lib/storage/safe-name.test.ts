import assert from 'node:assert/strict';
import { safeName } from '../../../nodes/lib/storage/safe-name';

describe('safeName: an id as a file-name part', () => {
  it('keeps ids from escaping the folder', () => {
    assert.equal(safeName('../../etc/passwd'), '______etc_passwd');
    assert.equal(safeName(''), 'camera');
    assert.equal(safeName('/etc/cron.d/x'), '_etc_cron_d_x');
    assert.equal(safeName('door\u0000.json'), 'door__json');
    assert.equal(safeName('..'), '__');
    assert.equal(safeName('camera-1_b'), 'camera-1_b');
    assert.equal(safeName('x'.repeat(100)).length, 64);
  });
});
