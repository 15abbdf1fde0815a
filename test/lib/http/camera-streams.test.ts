import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CameraStreams } from '../../../nodes/lib/http/camera-streams';
import type { MjpegResponse } from '../../../nodes/lib/http/mjpeg-broadcaster';

/** A response that records what is written to it. */
function fakeResponse(): MjpegResponse & { body: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return Object.assign(stream, {
    writeHead: () => stream,
    flushHeaders: () => {},
    body: () => Buffer.concat(chunks).toString('latin1'),
  }) as unknown as MjpegResponse & { body: () => string };
}

const jpeg = (text: string) =>
  Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.from(text), Buffer.from([0xff, 0xd9])]);

describe('CameraStreams: one MJPEG stream per camera behind one path', () => {
  it("gives each camera's viewers only that camera's frames; the bare path shows the first camera", async () => {
    const changes: Array<[string | null, number]> = [];
    const streams = new CameraStreams({ onViewersChanged: (id, n) => changes.push([id, n]) });
    const door = fakeResponse();
    const till = fakeResponse();
    const bare = fakeResponse();
    assert.ok(streams.addViewer('door', door));
    assert.ok(streams.addViewer('till', till));
    assert.ok(streams.addViewer(null, bare));
    streams.publish('door', jpeg('DOOR-1'));
    streams.publish('till', jpeg('TILL-1'));
    streams.publish('door', jpeg('DOOR-2'));
    await new Promise((r) => setImmediate(r));
    assert.match(door.body(), /DOOR-1/);
    assert.doesNotMatch(door.body(), /TILL/);
    assert.match(till.body(), /TILL-1/);
    assert.doesNotMatch(till.body(), /DOOR/);
    assert.equal(streams.bareCamera(), 'door');
    assert.doesNotMatch(bare.body(), /TILL/);
    assert.deepEqual(streams.cameras(), ['door', 'till']);
    assert.equal(streams.viewersOf('door'), 2, 'its own path and the bare one');
    const last = (id: string) => changes.filter(([c]) => c === id).pop()?.[1];
    assert.equal(last('door'), 2, 'door: its own viewer and the bare one');
    assert.equal(last('till'), 1);
    streams.closeAll();
  });

  it('shows the configured camera on the bare path', async () => {
    const streams = new CameraStreams({ defaultCamera: 'till' });
    const bare = fakeResponse();
    streams.addViewer(null, bare);
    streams.publish('door', jpeg('DOOR-1'));
    streams.publish('till', jpeg('TILL-1'));
    await new Promise((r) => setImmediate(r));
    assert.match(bare.body(), /TILL-1/);
    assert.doesNotMatch(bare.body(), /DOOR/);
    streams.closeAll();
  });

  it('repeats "nobody watches" while frames keep coming for nobody, and reports a viewer at once', () => {
    const changes: Array<[string | null, number]> = [];
    const streams = new CameraStreams({
      idleReportMs: 10_000,
      onViewersChanged: (id, n) => changes.push([id, n]),
    });
    streams.publish('door', jpeg('1'), 0);
    streams.publish('door', jpeg('2'), 5_000);
    assert.deepEqual(changes, [['door', 0]]);
    streams.publish('door', jpeg('3'), 10_000);
    assert.deepEqual(changes, [
      ['door', 0],
      ['door', 0],
    ]);
    // A viewer of a camera that sends nothing now (its overlay is not being drawn) is reported too.
    streams.addViewer('till', fakeResponse());
    assert.deepEqual(changes[2], ['till', 1]);
    streams.closeAll();
  });

  it('knows a camera whose frames came, the configured one and those the flow has; no other', () => {
    const flowHas = new Set(['till']);
    const streams = new CameraStreams({ defaultCamera: 'back', isCameraKnown: (id) => flowHas.has(id) });
    assert.equal(streams.knows('door'), false, 'no frame, not in the flow');
    assert.equal(streams.knows('till'), true, 'in the flow, no frame yet');
    assert.equal(streams.knows('back'), true, 'the bare path shows it');
    streams.publish('door', jpeg('1'));
    assert.equal(streams.knows('door'), true, 'its frames came');
    assert.equal(new CameraStreams().knows('till'), false, 'nobody says the flow has it');
    streams.closeAll();
  });
});
