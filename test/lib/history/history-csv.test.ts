import assert from 'node:assert/strict';
import { csvField, historyCsv } from '../../../nodes/lib/history/history-csv';

describe('history: queries and CSV', () => {
  it('quotes CSV fields with commas, quotes and line breaks, and leaves missing data empty', () => {
    assert.equal(csvField('door, front'), '"door, front"');
    assert.equal(csvField('the "big" door'), '"the ""big"" door"');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(0), '0');
    const csv = historyCsv({
      timeZone: 'UTC',
      step: 'hour',
      from: '2026-12-02',
      to: '2026-12-02',
      cameras: ['a'],
      lines: ['door, front'],
      zones: [],
      rows: [
        {
          time: '2026-12-02T09:00:00+00:00',
          camera: 'a',
          coveredSeconds: 0,
          gapSeconds: 3600,
          peopleMean: null,
          peopleMax: null,
          visitors: null,
          activitySeconds: null,
          footfallIn: null,
          footfallOut: null,
          lines: {},
          zones: {},
        },
      ],
    });
    assert.equal(
      csv,
      'time,camera,covered_seconds,gap_seconds,people_mean,people_max,visitors,activity_seconds,footfall_in,footfall_out,"door, front in","door, front out"\r\n' +
        '2026-12-02T09:00:00+00:00,a,0,3600,,,,,,,,\r\n',
    );
  });
});
