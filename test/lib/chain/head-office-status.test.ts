import assert from 'node:assert/strict';
import { headOfficeStatus } from '../../../nodes/lib/chain/head-office-status';

describe('head office status', () => {
  it('shows the database problem first, then the broker, the connection, the counts; what waits always', () => {
    const base = {
      databaseProblem: '',
      brokerProblem: '',
      connected: true,
      written: 5,
      refused: 0,
      buffered: 0,
    };
    assert.deepEqual(headOfficeStatus(base), { state: 'ok', text: '5 written' });
    assert.deepEqual(headOfficeStatus({ ...base, refused: 2, buffered: 3 }), {
      state: 'ok',
      text: '5 written, 2 refused · 3 buffered',
    });
    assert.deepEqual(headOfficeStatus({ ...base, connected: false }), {
      state: 'connecting',
      text: 'connecting',
    });
    assert.deepEqual(headOfficeStatus({ ...base, brokerProblem: 'broker connection lost', buffered: 1 }), {
      state: 'error',
      text: 'broker connection lost · 1 buffered',
    });
    assert.deepEqual(
      headOfficeStatus({ ...base, databaseProblem: 'down', brokerProblem: 'lost', buffered: 4 }),
      {
        state: 'error',
        text: 'PostgreSQL: down · 4 buffered',
      },
    );
  });
});
