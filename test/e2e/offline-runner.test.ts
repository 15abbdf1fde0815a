import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { demoClip, projectRoot, testTmp } from '../../support/assets';

/** Runs the offline runner from the TypeScript sources, as `npm run track` runs its build. */
function runTrackVideo(input: string, mot: string, extra: string[] = []) {
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
      ...extra,
    ],
    { encoding: 'utf8' },
  );
}

describe('offline runner (npm run track) on the first 12 s of the clip', function () {
  this.timeout(120000);
  const excerpt = path.join(testTmp, 'vtest-120-frames.avi');
  const mot = path.join(testTmp, 'vtest-120-frames.mot.txt');
  const areas = path.join(testTmp, 'vtest-areas.json');
  const events = path.join(testTmp, 'vtest-120-frames.events.jsonl');
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
    // A line across the plaza where people walk, and a zone over the walkway (768x576 frame).
    writeFileSync(
      areas,
      JSON.stringify({
        lines: [{ name: 'middle', from: [384, 150], to: [384, 560] }],
        zones: [
          {
            name: 'walkway',
            polygon: [
              [150, 250],
              [620, 250],
              [620, 560],
              [150, 560],
            ],
          },
        ],
      }),
    );
    const run = runTrackVideo(excerpt, mot, ['--areas', areas, '--events', events]);
    assert.equal(run.status, 0, run.stderr);
    printed = run.stdout;
  });

  it('writes crossing and zone events in the documented form, and prints the counts they add up to', () => {
    const rows = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const crossings = rows.filter((r) => 'line' in r);
    const zone = rows.filter((r) => 'zone' in r);
    assert.ok(
      crossings.length > 0 && zone.length > 0,
      `${crossings.length} crossings, ${zone.length} zone events`,
    );
    for (const r of crossings) {
      assert.deepEqual(Object.keys(r).sort(), ['direction', 'frame', 'line', 'trackId']);
      assert.ok(r.direction === 'in' || r.direction === 'out');
      assert.ok(Number(r.frame) >= 1 && Number(r.frame) <= 120);
    }
    const ins = crossings.filter((r) => r.direction === 'in').length;
    assert.match(printed, new RegExp(`line middle: ${ins} in, ${crossings.length - ins} out`));
    // Per track: enter, exit, enter, exit ... and every visit ends (open ones at the last frame).
    const open = new Map<unknown, number>();
    for (const r of zone) {
      if (r.event === 'enter') {
        assert.ok(!open.has(r.trackId), `track ${r.trackId} enters twice`);
        open.set(r.trackId, Number(r.frame));
      } else {
        assert.equal(r.event, 'exit');
        const entered = open.get(r.trackId);
        assert.ok(entered !== undefined, `track ${r.trackId} exits without entering`);
        assert.ok(
          Math.abs(Number(r.dwellSeconds) - (Number(r.frame) - entered) / 10) <= 0.15,
          JSON.stringify(r),
        );
        open.delete(r.trackId);
      }
    }
    assert.equal(open.size, 0, 'every visit has its exit');
    const visits = zone.filter((r) => r.event === 'enter').length;
    assert.match(printed, new RegExp(`zone walkway: ${visits} visits`));
  });

  it('says what is wrong with an areas file instead of counting on half of it', () => {
    const bad = path.join(testTmp, 'bad-areas.json');
    writeFileSync(bad, JSON.stringify({ lines: [{ name: 'door', from: [1, 2] }] }));
    const run = runTrackVideo(excerpt, mot, ['--areas', bad, '--events', events]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot read the areas in .*bad-areas\.json: line 1 "to" must be a point/);
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
