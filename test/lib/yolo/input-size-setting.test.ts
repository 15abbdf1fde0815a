import assert from 'node:assert/strict';
import { inputSizeSetting, isModelSide } from '../../../nodes/lib/yolo/input-size-setting';

describe("yolo-model's Input size setting", () => {
  it('is auto when missing (a flow saved before it existed), blank or auto', () => {
    for (const v of [undefined, null, '', ' ', 'auto']) assert.equal(inputSizeSetting(v), 'auto');
  });

  it('takes a multiple of 32, as a number or as the form gives it, and 0 for the model size', () => {
    assert.equal(inputSizeSetting('416'), 416);
    assert.equal(inputSizeSetting(640), 640);
    assert.equal(inputSizeSetting('0'), 0);
  });

  it('says what is wrong with anything else', () => {
    for (const v of ['500', '-32', 'big', 4096, 16]) {
      const got = inputSizeSetting(v);
      assert.ok(got instanceof Error, String(v));
      assert.match(got.message, /auto, 0 \(the model's own\) or a multiple of 32 up to 2048/);
    }
    assert.equal(isModelSide(2048), true);
    assert.equal(isModelSide(2080), false);
  });
});
