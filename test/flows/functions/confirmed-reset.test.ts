import assert from 'node:assert/strict';
import { functionNode } from './function-node';

describe('function confirmed-reset (the dashboard reset dialog)', () => {
  it('makes its own reset of every camera when Reset is chosen: nothing of the browser message passes', () => {
    const answer = { payload: 'Reset', topic: 'Reset today?', cameras: ['camera-1'], date: '2020-01-01' };
    assert.deepEqual(functionNode('confirmed-reset').run(answer), { topic: 'reset' });
  });

  it('sends nothing on Cancel or anything else', () => {
    for (const payload of ['Cancel', '', 'reset', undefined]) {
      assert.equal(functionNode('confirmed-reset').run({ payload, topic: 'reset' }), null);
    }
  });
});
