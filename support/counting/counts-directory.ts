import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { testTmp } from '../assets';
import { helper } from '../node-red/test-helper';

/**
 * The hooks of a counting node spec, called inside its `describe`: a Node-RED test runtime for the
 * suite, and a fresh folder for the counted days per test (removed after it, with the flow unloaded).
 * Returns the current test's folder.
 */
export function useCountsDirectory(): () => string {
  let directory = '';
  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(() => {
    mkdirSync(testTmp, { recursive: true });
    directory = mkdtempSync(path.join(testTmp, 'counts-'));
  });
  afterEach(async () => {
    await helper.unload();
    rmSync(directory, { recursive: true, force: true });
  });
  return () => directory;
}

/** A frame of the plaza (768 x 576) from camera `sourceId` with one person at (x, 400). */
export function onePersonFrame(sourceId: string, x: number) {
  return {
    frame: { sourceId, width: 768, height: 576, capturedAt: Date.now() },
    tracks: [{ id: 1, footPoint: [x, 400] }],
  };
}
