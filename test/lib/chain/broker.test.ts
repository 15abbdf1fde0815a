import assert from 'node:assert/strict';
import { brokerOptions, brokerProblem } from '../../../nodes/lib/chain/broker';

describe('chain: broker settings', () => {
  it('keeps credentials out of the broker URL, and says what a refusal means', () => {
    const { url, options } = brokerOptions({
      url: 'mqtt://broker:1883',
      username: 'u',
      password: 'p',
      clientId: 'c',
    });
    assert.equal(url, 'mqtt://broker:1883');
    assert.equal(options.password, 'p');
    assert.throws(
      () => brokerOptions({ url: 'mqtt://u:secret@broker', clientId: 'c' }),
      (e: Error) => {
        assert.match(e.message, /credentials/);
        assert.doesNotMatch(e.message, /secret/);
        return true;
      },
    );
    assert.throws(() => brokerOptions({ url: 'http://broker', clientId: 'c' }), /mqtt:\/\/ or mqtts:\/\//);
    assert.throws(() => brokerOptions({ url: 'mqtt://broker', caFile: '/x.pem', clientId: 'c' }), /mqtts/);
    assert.throws(
      () => brokerOptions({ url: 'mqtts://broker', caFile: '/nope.pem', clientId: 'c' }),
      /CA file/,
    );
    assert.equal(
      brokerOptions({ url: 'mqtts://broker:8883', clientId: 'c' }).options.rejectUnauthorized,
      true,
    );
    assert.match(
      brokerProblem(Object.assign(new Error('Connection refused: Not authorized'), { code: 5 })),
      /not authorised/,
    );
    assert.match(brokerProblem(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), /unreachable/);
    assert.equal(brokerProblem(new Error('bad pw-123 here'), ['pw-123']), 'broker error: bad *** here');
  });
});
