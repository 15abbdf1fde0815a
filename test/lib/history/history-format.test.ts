import assert from 'node:assert/strict';
import { historyFormatOfPath, historyFormatOfQuery } from '../../../nodes/lib/history/history-format';

describe('history formats: by the request path, or by the query', () => {
  it('reads the format from the end of the path (an http in under a prefix too)', () => {
    assert.equal(historyFormatOfPath('/history'), 'json');
    assert.equal(historyFormatOfPath('/store/history.csv'), 'csv');
    assert.equal(historyFormatOfPath('/heatmap.png'), 'png');
    assert.equal(historyFormatOfPath('/save'), null);
    assert.equal(historyFormatOfPath(''), null);
  });

  it("reads a flow's query: the report by topic, else payload.format, JSON by default", () => {
    assert.equal(historyFormatOfQuery('history/report', { format: 'csv' }), 'report');
    assert.equal(historyFormatOfQuery('history', { format: 'csv' }), 'csv');
    assert.equal(historyFormatOfQuery('history', { format: 'png' }), 'png');
    assert.equal(historyFormatOfQuery('history', {}), 'json');
  });
});
