import assert from 'node:assert/strict';
import { DetectorClient, type SharedDetector } from '../../../nodes/lib/yolo/shared-detector';

describe('DetectorClient result order', () => {
  const owner = { pump() {}, removeClient() {} } as unknown as SharedDetector;

  it('holds a result that overtook an earlier frame until that frame is done', () => {
    const client = new DetectorClient(owner);
    const handed: number[] = [];
    for (const id of [1, 2, 3]) client.sent.push({ id, settle: null });
    client.settle(2, () => handed.push(2));
    client.settle(3, () => handed.push(3));
    assert.equal(handed.length, 0, 'frame 1 is still in a session');
    client.settle(1, () => handed.push(1));
    assert.deepEqual(handed, [1, 2, 3]);
    assert.equal(client.sent.length, 0);
  });

  it('hands a result straight out when nothing earlier is pending', () => {
    const client = new DetectorClient(owner);
    const handed: number[] = [];
    client.sent.push({ id: 7, settle: null }, { id: 8, settle: null });
    client.settle(7, () => handed.push(7));
    assert.deepEqual(handed, [7]);
    client.settle(8, () => handed.push(8));
    assert.deepEqual(handed, [7, 8]);
  });
});
