import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { projectRoot } from '../../support/assets';
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/node-red/editor';
import { waitFor } from '../../support/processes';

const ARTIFACTS = path.join(projectRoot, 'test-artifacts');
const PASSWORD = `chain-e2e-${process.pid}-secret`;

/** Every file under `dir` (flows, credentials, logs, databases); links (node_modules) not followed. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const f = path.join(dir, name);
    const s = lstatSync(f);
    return s.isSymbolicLink() ? [] : s.isDirectory() ? filesUnder(f) : [f];
  });
}

/**
 * The chain simulation, shorter (2 stores, 3 minutes, the broker away 20 s, a store SIGKILLed and
 * started again: it then runs across a minute's end before the stop): the same tool as `npm run chain`, every part real (Mosquitto, PostgreSQL, Node-RED
 * runtimes on the clip with YOLO). Meanwhile head office's HTTP answer and its Chain tab in Chromium.
 */
describe('a chain of two stores and head office (npm run chain, shorter)', function () {
  this.timeout(420_000);

  it('loses no minute row; head office answers /chain and shows the Chain tab; the broker password shows nowhere', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(projectRoot, 'dist', 'tools', 'chain-run.js'),
        '--stores',
        '2',
        '--minutes',
        '3',
        '--outage',
        '20',
      ],
      {
        env: { ...process.env, CHAIN_KEEP: '1', CHAIN_MQTT_PASSWORD: PASSWORD },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // The password goes to the runtimes through their environment only: never on a command line.
    const inPs: string[] = [];
    const watch = setInterval(() => {
      const ps = execFileSync('ps', ['-eo', 'args', '-ww'], { encoding: 'utf8' });
      for (const line of ps.split('\n'))
        if (line.includes(PASSWORD) && !line.includes('ps -eo')) inPs.push(line);
    }, 1000);
    let work = '';
    try {
      const office = await waitFor(
        () => /head office at (http:\S+)/.exec(stderr)?.[1],
        120_000,
        'head office',
      );
      await waitFor(() => stderr.includes('broker back'), 240_000, 'the broker back after the outage');

      const report = await waitFor(
        async () => {
          const r = (await (await fetch(`${office}/chain`)).json()) as {
            stores: Array<{ store: string; minutes: number }>;
          };
          return r.stores.filter((s) => s.minutes > 0).length === 2 ? r : null;
        },
        40_000,
        'both stores with minutes in /chain',
      );
      assert.deepEqual(
        report.stores.map((s) => s.store),
        ['store-1', 'store-2'],
      );
      const csv = await (await fetch(`${office}/chain.csv?step=hour`)).text();
      assert.match(csv, /^store,camera,start,covered_s,/);
      assert.match(csv, /\r\nstore-1,camera-1,/);

      mkdirSync(ARTIFACTS, { recursive: true });
      assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 700 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await fetch(`${office}/admin/inject/ho-report-tick`, { method: 'POST' });
        await page.goto(`${office}/ui/`);
        const rows = page.locator('#ho-chain-stores tr');
        await waitFor(async () => (await rows.count()) === 3, 30_000, 'a row per store in the Chain tab');
        // The tab shows the newest report the node sent (every 30 s, and the one asked above).
        await waitFor(
          async () => /2 of 2 stores online/.test(await page.locator('#ho-chain-summary').innerText()),
          40_000,
          'both stores online in the Chain tab',
        );
        assert.match(await rows.nth(1).innerText(), /store-1\s+online\s+\d+/);
        await page.screenshot({ path: path.join(ARTIFACTS, 'chain-tab.png') });
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }

      const code = await exited;
      assert.equal(code, 0, stderr);
      work = /work folder (\S+)/.exec(stderr)?.[1] ?? '';
      const line = stdout.trim().split('\n').pop()!;
      const m =
        /^\{"stores": (\d+), "minutesPublished": (\d+), "rowsAtStores": (\d+), "rowsCentral": (\d+), "lost": (-?\d+), "duplicates": (\d+)\}$/.exec(
          line,
        );
      assert.ok(m, `the JSON line as the issue spells it: ${line}`);
      const [stores, published, atStores, central, lost] = m.slice(1).map(Number);
      assert.equal(stores, 2);
      assert.ok(atStores >= 4, `${atStores} minute rows at the stores`);
      assert.equal(lost, 0, line);
      assert.equal(central, atStores, line);
      assert.ok(published >= central, line);
      assert.match(stderr, /SIGKILL store-2/);
    } catch (err) {
      // The runtimes' logs for whoever reads the failure; the work folder goes.
      work ||= /work folder (\S+)/.exec(stderr)?.[1] ?? '';
      if (work && existsSync(work)) {
        mkdirSync(ARTIFACTS, { recursive: true });
        for (const f of filesUnder(work).filter((f) => f.endsWith('node-red.log')))
          copyFileSync(f, path.join(ARTIFACTS, `chain-${path.basename(path.dirname(f))}.log`));
        rmSync(work, { recursive: true, force: true });
      }
      throw new Error(`${(err as Error).message}\n${stderr}`);
    } finally {
      clearInterval(watch);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    }
    assert.deepEqual(inPs, [], 'the broker password on a command line');
    assert.ok(work && existsSync(work), `the work folder: ${stderr}`);
    try {
      const holding = filesUnder(work).filter(
        (f) => !/\.db(-wal|-shm)?$/.test(f) && readFileSync(f).includes(PASSWORD),
      );
      assert.deepEqual(holding, [], 'files holding the broker password (flows, credentials, logs)');
      const left = execFileSync('ps', ['-eo', 'args', '-ww'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => (l.includes(work) || l.includes('store-analytics-pg-')) && !l.includes('ps -eo'));
      assert.deepEqual(left, [], 'processes of the chain left running');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
