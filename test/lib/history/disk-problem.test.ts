import assert from 'node:assert/strict';
import { diskProblem } from '../../../nodes/lib/history/disk-problem';

const sqliteError = (code: string) => Object.assign(new Error('x'), { code });

describe('history: a write error in the words people search for', () => {
  it('names a full, read-only or failing disk by the SQLite code', () => {
    assert.equal(diskProblem(sqliteError('SQLITE_FULL')), 'disk full');
    assert.equal(diskProblem(sqliteError('SQLITE_READONLY_DBMOVED')), 'disk read-only');
    assert.equal(diskProblem(sqliteError('SQLITE_IOERR_WRITE')), 'disk error');
    assert.equal(diskProblem(sqliteError('SQLITE_CANTOPEN')), 'disk error');
    assert.equal(diskProblem(new Error('other')), 'history write failed');
  });
});
