import assert from 'node:assert/strict';
import path from 'node:path';
import { headOfficeSettings } from '../../../nodes/lib/chain/head-office-settings';

const fields = { url: 'mqtt://127.0.0.1:1883', caFile: '', database: '', file: '', clientId: '' };

describe('head office settings', () => {
  it('is off without a broker or a database URL', () => {
    assert.deepEqual(headOfficeSettings({ ...fields, url: '${MQTT_URL}' }, {}, '/u'), {
      off: 'off: no broker URL (MQTT_URL)',
    });
    assert.deepEqual(headOfficeSettings(fields, {}, '/u'), { off: 'off: no database URL (PG_URL)' });
  });

  it('keeps the spool under the user dir, a persistent session, and refuses a password in the database URL', () => {
    const s = headOfficeSettings(
      { ...fields, database: 'postgres://u@h/db' },
      { password: 'mq-secret' },
      '/u',
    );
    assert.ok(!('off' in s));
    assert.equal(s.spoolFile, path.resolve('/u/data/head-office.db'));
    assert.equal(s.broker.options.clean, false);
    assert.equal(s.broker.options.clientId, 'store-analytics-head-office');
    assert.ok(s.secrets.includes('mq-secret'));
    assert.throws(
      () => headOfficeSettings({ ...fields, database: 'postgres://u:pw@h/db' }, {}, '/u'),
      /put the database password in the credentials/,
    );
    assert.throws(
      () => headOfficeSettings({ ...fields, database: 'mysql://u@h/db' }, {}, '/u'),
      /must be postgres:\/\//,
    );
  });
});
