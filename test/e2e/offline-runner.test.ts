import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { demoClip, projectRoot, testTmp } from '../support/assets';

/** Runs the offline runner from the TypeScript sources, as `npm run track` runs its build. */
function runTrackVideo(input: string, mot: string) {
  return spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('tsx/cjs'),
      path.join(projectRoot, 'tools', 'track-video.ts'),
      '--input',
      input,
      '--mot',
      mot,
    ],
    { encoding: 'utf8' },
  );
}

describe('offline runner (npm run track) on the first 12 s of the clip', function () {
  this.timeout(120000);
  const excerpt = path.join(testTmp, 'vtest-120-frames.avi');
  const mot = path.join(testTmp, 'vtest-120-frames.mot.txt');
  let printed = '';

  before(() => {
    mkdirSync(testTmp, { recursive: true });
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      demoClip(),
      '-frames:v',
      '120',
      '-c:v',
      'mjpeg',
      '-q:v',
      '2',
      excerpt,
    ]);
    const run = runTrackVideo(excerpt, mot);
    assert.equal(run.status, 0, run.stderr);
    printed = run.stdout;
  });

  it('prints frames, tracks and fps', () => {
    assert.match(printed, /vtest-120-frames\.avi: 120 frames, \d+ tracks, \d+\.\d fps/);
  });

  it('writes MOTChallenge lines: 1-based frames in order, one line per confirmed track per frame', () => {
    const rows = readFileSync(mot, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    assert.ok(rows.length > 200, `${rows.length} lines`);
    const seen = new Set<string>();
    let lastFrame = 0;
    for (const r of rows) {
      assert.equal(r.length, 10);
      assert.deepEqual(r.slice(7), ['-1', '-1', '-1']);
      const [frame, id, left, top, width, height, score] = r.map(Number);
      assert.ok(frame >= 1 && frame <= 120 && frame >= lastFrame, `frame ${frame}`);
      assert.ok(Number.isInteger(id) && id >= 1);
      assert.ok(
        width > 0 && height > 0 && left > -50 && top > -50 && left + width < 820 && score > 0 && score <= 1,
      );
      assert.ok(!seen.has(`${frame}/${id}`), 'one line per track per frame');
      seen.add(`${frame}/${id}`);
      lastFrame = frame;
    }
    // No ID before its track is confirmed: the first lines come from frame 3 on (3 hits).
    assert.equal(Number(rows[0][0]), 3);
  });

  it('says what is wrong with a bad input instead of crashing', () => {
    const run = runTrackVideo(path.join(testTmp, 'nothing.avi'), mot);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot read the frame rate/);
  });
});
