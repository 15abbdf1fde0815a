import assert from 'node:assert/strict';
import { parseAreas } from '../../../nodes/lib/counting/areas';

const TILL = {
  name: 'till',
  polygon: [
    [0, 0],
    [100, 0],
    [100, 100],
    [0, 100],
  ] as Array<[number, number]>,
};
const DOOR_TWICE = { name: 'door', from: [0, 0], to: [1, 1] };

describe('areas.json', () => {
  it('reads lines and zones, and says what is wrong', () => {
    const areas = parseAreas({ lines: [{ name: 'door', from: [1, 2], to: [3, 4] }], zones: [TILL] });
    assert.equal(areas.lines[0].name, 'door');
    assert.equal(areas.zones[0].polygon.length, 4);
    assert.throws(
      () => parseAreas({ lines: [{ name: 'door', from: [1, 2] }] }),
      /line 1 "to" must be a point/,
    );
    assert.throws(
      () =>
        parseAreas({
          zones: [
            {
              name: 'z',
              polygon: [
                [0, 0],
                [1, 1],
              ],
            },
          ],
        }),
      /at least 3 points/,
    );
    assert.throws(() => parseAreas({ lines: [DOOR_TWICE, DOOR_TWICE] }), /used twice/);
    assert.throws(() => parseAreas(null), /must be an object/);
  });
});
