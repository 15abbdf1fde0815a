import assert from 'node:assert/strict';
import { numberSetting, textSetting } from '../../../nodes/lib/settings/editor-fields';

describe("editor fields: a node's settings as the editor hands them over", () => {
  it('reads numbers from strings, an empty field as the default, and anything else as NaN', () => {
    assert.equal(numberSetting('12', 5), 12);
    assert.equal(numberSetting(0, 5), 0);
    assert.equal(numberSetting('', 5), 5);
    assert.equal(numberSetting(undefined, 5), 5);
    assert.ok(Number.isNaN(numberSetting('often', 5)));
  });

  it('trims text and reads an unset ${NAME} as blank', () => {
    assert.equal(textSetting('  rtsp://cam  '), 'rtsp://cam');
    assert.equal(textSetting('${CAMERA_URL}'), '');
    assert.equal(textSetting(42), '');
  });
});
