import assert from 'node:assert/strict';
import path from 'node:path';
import { dayFilePath } from '../../../nodes/lib/counting/day-file';

describe("a counting node's day file", () => {
  it('is one file per day, camera and node, with ids that cannot leave the folder', () => {
    assert.equal(
      dayFilePath('/data/counts', '20261202', 'door', 'footfall', 'a1b2'),
      path.join('/data/counts', '20261202', 'door.footfall.a1b2.json'),
    );
    assert.equal(
      dayFilePath('/data/counts', '20261202', '../../etc', 'zones', 'n.1'),
      path.join('/data/counts', '20261202', '______etc.zones.n_1.json'),
    );
  });
});
