import assert from 'node:assert/strict';
import { BackgroundSampler, peopleBoxes } from '../../../nodes/lib/image/background-sampler';
import { clipFrameJpeg } from '../../../support/video/clip-frame';

describe("BackgroundSampler: each camera's empty view from its frames", () => {
  const jpeg = clipFrameJpeg(300);
  const frameAt = (at: number) => ({ cameraId: 'door', jpeg, at, width: 768, height: 576, people: [] });

  it('samples a frame when the camera is due, then not again before the interval', async () => {
    const sampler = new BackgroundSampler(1000);
    const first = sampler.offer(frameAt(0));
    assert.ok(first);
    await first;
    assert.equal(sampler.offer(frameAt(500)), null, 'too soon');
    // Five samples make the first picture (the model's minimum).
    for (let i = 1; i < 5; i++) await sampler.offer(frameAt(i * 1000));
    const [picture] = sampler.due(5000);
    assert.equal(picture.cameraId, 'door');
    assert.equal(picture.frames, 5);
    assert.equal(picture.pixels.length, picture.width * picture.height * 3);
    assert.ok(picture.width <= 320);
  });

  it('takes no sample of what is not a JPEG, nor with sampling off, nor after close', async () => {
    assert.equal(new BackgroundSampler(1000).offer({ ...frameAt(0), jpeg: Buffer.from('raw') }), null);
    assert.equal(new BackgroundSampler(0).offer(frameAt(0)), null);
    const sampler = new BackgroundSampler(1000);
    const late = sampler.offer(frameAt(0));
    sampler.close();
    await late;
    assert.deepEqual(sampler.due(10_000), [], 'a decode that ends after close is dropped');
  });

  it("reads every person's box from the tracks and detections, skipping what is not a box", () => {
    assert.deepEqual(
      peopleBoxes([{ box: [1, 2, 3, 4] }, { box: 'no' }, {}], [{ box: [5, 6, 7, 8] }, null, { box: [1, 2] }]),
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
    );
  });
});
