import assert from 'node:assert/strict';
import path from 'node:path';
import { parseHeatStoreSettings } from '../../../nodes/lib/storage/heat-store-settings';

describe("parseHeatStoreSettings: heatmap-store's fields", () => {
  const userDir = path.resolve('/srv/node-red');

  it('puts a blank directory at data/saved_heatmaps in the user directory, and names it from there', () => {
    assert.deepEqual(parseHeatStoreSettings({}, userDir), {
      directory: path.join(userDir, 'data', 'saved_heatmaps'),
      shownDirectory: path.join('data', 'saved_heatmaps'),
      autosaveSeconds: 300,
      keepHourly: false,
      // A node saved before the setting existed answers HTTP saves on output 1, as it did then.
      answerOwnOutput: false,
    });
    assert.equal(
      (parseHeatStoreSettings({ answerOwnOutput: true }, userDir) as { answerOwnOutput: boolean })
        .answerOwnOutput,
      true,
    );
  });

  it('names a directory outside the user directory by its name only (the answer goes to the store login)', () => {
    const settings = parseHeatStoreSettings(
      { directory: ' /mnt/heat ', autosave: '0', keepHourly: true },
      userDir,
    );
    assert.ok(!('error' in settings));
    assert.equal(settings.directory, path.resolve('/mnt/heat'));
    assert.equal(settings.shownDirectory, 'heat');
    assert.equal(settings.autosaveSeconds, 0);
    assert.equal(settings.keepHourly, true);
  });

  it('refuses an autosave that is not a number of seconds', () => {
    assert.match(
      String((parseHeatStoreSettings({ autosave: -5 }, userDir) as { error: string }).error),
      /autosave/,
    );
    assert.ok('error' in parseHeatStoreSettings({ autosave: 'often' }, userDir));
  });
});
