import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childProcesses, isAlive } from '../faults/store-box';
import { demoClip, projectRoot } from '../../support/assets';
import { untilFlowsStarted } from '../../support/node-red/node-red-process';
import { freePort, waitFor } from '../../support/processes';
import type { StatisticsAnswer } from '../../support/node-red/statistics-answer';

/**
 * The palette path: what a user gets who installs this package from Node-RED's palette manager.
 * The packed tarball is installed by a STOCK Node-RED (red.js, default settings, no launcher of
 * ours) through its own palette API (POST /nodes, which runs `npm install --save --omit=dev ...`
 * in the user directory), example 01 is imported from Import > Examples and deployed, and the demo
 * clip's people are counted. The model comes from a cache seeded with the project's verified copy,
 * so nothing is downloaded but npm packages (from npm's cache where it has them). The example's
 * dashboard nodes come from node-red-dashboard, a dependency of this package: the install puts it
 * into the user directory's node_modules (checked), where Node-RED loads it from.
 */

const PACKAGE = 'node-red-contrib-store-analytics';
/** The one line the user adds by hand (see README, "Using the nodes in your own Node-RED"). */
const NPMRC = 'onnxruntime-node-install=skip\n';
/** The node types and their files, from package.json's "node-red" section. */
const NODES = (
  JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    'node-red': { nodes: Record<string, string> };
  }
)['node-red'].nodes;
const MODEL_SHA256 = /sha256: '([0-9a-f]{64})'/.exec(
  readFileSync(path.join(projectRoot, 'models', 'fetch-model.mjs'), 'utf8'),
)![1];

type Statistics = Partial<StatisticsAnswer> & {
  cameras?: Record<string, Partial<StatisticsAnswer> & { visitors?: number }>;
  visitors?: number;
};

/**
 * People in view now (live detections) and people counted today: one camera's answer, or the sums
 * over a `cameras` map. (Today's count alone could be restored heat after a restart.)
 */
function people(s: Statistics): { inView: number; counted: number } {
  const cameras = s.cameras ? Object.values(s.cameras) : [s];
  return {
    inView: cameras.reduce((n, c) => n + (c.peopleInView ?? 0), 0),
    counted: cameras.reduce((n, c) => n + (c.uniquePeople ?? c.visitors ?? 0), 0),
  };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The relative modules a packed script loads (require() of compiled TypeScript, import of .mjs). */
function relativeImports(source: string): string[] {
  const found: string[] = [];
  for (const re of [/require\("(\.{1,2}\/[^"]+)"\)/g, /(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g]) {
    for (const m of source.matchAll(re)) found.push(m[1]);
  }
  return found;
}

/** A stock Node-RED: node-red/red.js with its default settings file in `userDir`. */
class StockNodeRed {
  output = '';
  /** Every ffmpeg this Node-RED ran while it was watched. */
  readonly ffmpegSeen = new Set<number>();
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(userDir: string, env: NodeJS.ProcessEnv): Promise<StockNodeRed> {
    const port = await freePort();
    // -D uiHost: listen on loopback only (the stock default is every interface); nothing else is set.
    const child = spawn(
      process.execPath,
      [
        require.resolve('node-red/red.js'),
        '--userDir',
        userDir,
        '--port',
        String(port),
        '-D',
        'uiHost=127.0.0.1',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const red = new StockNodeRed(child, port);
    await untilFlowsStarted(child, red, 60000);
    return red;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The ffmpeg processes it runs now (remembered, to check after the stop that none is left). */
  ffmpeg(): number[] {
    const pids = this.child.pid ? childProcesses(this.child.pid, 'ffmpeg').map((p) => p.pid) : [];
    for (const pid of pids) this.ffmpegSeen.add(pid);
    return pids;
  }

  async statistics(): Promise<Statistics | null> {
    const res = await fetch(`${this.url}/statistics?format=json`).catch(() => null);
    return res && res.status === 200 ? ((await res.json()) as Statistics) : null;
  }

  /** Waits until the flow sees and has counted people, watching its ffmpeg meanwhile. */
  async peopleCounted(): Promise<Statistics> {
    return waitFor(
      async () => {
        this.ffmpeg();
        const s = await this.statistics();
        return s && people(s).inView > 0 && people(s).counted > 0 ? s : null;
      },
      120000,
      `people counted on GET /statistics (Node-RED said:\n${this.output.slice(-3000)})`,
    );
  }

  /** SIGTERM, as a service manager stops it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.ffmpeg();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGTERM');
    });
  }
}

/** Processes whose command line mentions `marker`. */
function processesMentioning(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args=', '-ww'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

describe("the palette path: the packed package installed by a stock Node-RED's palette manager", function () {
  this.timeout(600000);
  // Outside the project: a module missing from the tarball must not be found in the project's
  // node_modules by Node.js walking up the folders.
  let work = '';
  let userDir = '';
  let cache = '';
  let installedModel = '';
  /** The head cut the postinstall writes beside the export: yolo-model's default model. */
  let installedCut = '';
  let tarball = '';
  let packed: string[] = [];
  let red: StockNodeRed | null = null;
  let env: NodeJS.ProcessEnv = {};

  const stopAndCheckNothingLeft = async () => {
    const stopping = red!;
    red = null;
    const code = await stopping.stop();
    assert.equal(code, 0, `Node-RED's exit code\n${stopping.output.slice(-2000)}`);
    const left = await waitFor(
      () => [...stopping.ffmpegSeen].every((pid) => !isAlive(pid)),
      10000,
      'the ffmpeg processes to end',
    ).catch(() => false);
    assert.ok(left, `ffmpeg left behind: ${[...stopping.ffmpegSeen].filter(isAlive).join(', ')}`);
    assert.deepEqual(processesMentioning(work), [], 'processes of the test user directory still running');
  };

  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'store-analytics-palette-'));
    userDir = path.join(work, 'node-red');
    cache = path.join(work, 'cache');
    installedModel = path.join(userDir, 'node_modules', PACKAGE, 'models', 'yolov8n.onnx');
    installedCut = path.join(userDir, 'node_modules', PACKAGE, 'models', 'yolov8n-cut.onnx');
    for (const file of Object.values(NODES)) {
      assert.ok(existsSync(path.join(projectRoot, file)), `${file} is missing: run 'npm run build' first`);
    }
    const model = path.join(projectRoot, 'models', 'yolov8n.onnx');
    assert.ok(existsSync(model), `${model} is missing: run 'npm run fetch:model' first`);
    assert.equal(sha256(model), MODEL_SHA256, `${model} is not the verified model`);
    mkdirSync(cache, { recursive: true });
    copyFileSync(model, path.join(cache, 'yolov8n.onnx'));
    mkdirSync(userDir);
    // What Node-RED writes into a new user directory.
    writeFileSync(
      path.join(userDir, 'package.json'),
      JSON.stringify({
        name: 'node-red-project',
        description: 'A Node-RED Project',
        version: '0.0.1',
        private: true,
      }),
    );
    // Node-RED and the npm it runs get a user's environment: none of the npm_* variables of the npm
    // that may run these tests, no ONNXRUNTIME_NODE_INSTALL (the .npmrc line is what is tested).
    env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^npm_|^ONNXRUNTIME_NODE_INSTALL/i.test(k)),
    );
    Object.assign(env, {
      CAMERA_URL: demoClip(),
      STORE_ANALYTICS_CACHE: cache,
      // Test speed only: npm takes the dependencies from its cache when it has them.
      npm_config_prefer_offline: 'true',
    });
  });

  after(async () => {
    if (red) {
      const left = red;
      red = null;
      await Promise.race([left.stop(), new Promise((r) => setTimeout(r, 15000))]);
      if (left.child.exitCode === null) left.child.kill('SIGKILL');
      for (const pid of left.ffmpegSeen) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs what the runtime and the model fetch need, and nothing test- or bench-only', () => {
    const [info] = JSON.parse(
      // npm test has just built dist/: no second build (prepack) in the middle of the suite.
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
        cwd: projectRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(work, info.filename);
    packed = info.files.map((f) => f.path);
    const needed = ['package.json', 'models/fetch-model.mjs', 'scripts/cache.mjs', 'scripts/postinstall.mjs'];
    for (const js of Object.values(NODES)) needed.push(js, js.replace(/\.js$/, '.html'));
    needed.push('dist/nodes/lib/yolo/detector-worker.js');
    for (const file of needed) assert.ok(packed.includes(file), `${file} is in the tarball`);
    assert.ok(
      packed.some((f) => /^examples\/01[^/]*\.json$/.test(f)),
      'example 01 is in the tarball',
    );
    // Every module a packed script loads is packed too.
    const unpacked = path.join(work, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    for (const file of packed.filter((f) => /\.(m?js)$/.test(f))) {
      const source = readFileSync(path.join(unpacked, 'package', file), 'utf8');
      for (const rel of relativeImports(source)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), rel));
        assert.ok(
          [target, `${target}.js`, `${target}/index.js`].some((t) => packed.includes(t)),
          `${file} loads ${rel}, which is not in the tarball`,
        );
      }
    }
    const devOnly = packed.filter(
      (f) =>
        /^(test|bench|media|docs|flows|node-red|nodes|tools|\.ci)\//.test(f) ||
        /^dist\/(?!nodes\/)/.test(f) ||
        /^scripts\/(install\.sh|start-node-red|copy-assets|fetch-footage|malloc-settings)/.test(f) ||
        /mot-metrics|\.onnx$|\.tgz$|\.test\.|\.ts$/.test(f),
    );
    assert.deepEqual(devOnly, [], 'test, bench or development files in the tarball');
  });

  it("installs from the palette manager, fetching the model on install (the user's one step: the .npmrc line)", async () => {
    assert.ok(tarball, 'packed');
    writeFileSync(path.join(userDir, '.npmrc'), NPMRC);
    red = await StockNodeRed.start(userDir, env);
    const res = await fetch(`${red.url}/nodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The palette manager's "install" of a local tarball; it runs npm in the user directory.
      body: JSON.stringify({ module: PACKAGE, url: tarball }),
    });
    const body = await res.text();
    assert.equal(res.status, 200, `POST /nodes answered ${res.status}: ${body}\n${red.output.slice(-3000)}`);
    const types = (JSON.parse(body) as { nodes: Array<{ types: string[] }> }).nodes.flatMap((n) => n.types);
    for (const type of Object.keys(NODES)) {
      assert.ok(types.includes(type), `${type} registered (got ${types.join(', ')})`);
    }
    const saved = JSON.parse(readFileSync(path.join(userDir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    assert.ok(saved.dependencies?.[PACKAGE], `${PACKAGE} saved in the user directory's package.json`);
    assert.ok(
      existsSync(path.join(userDir, 'node_modules', 'node-red-dashboard', 'package.json')),
      "node-red-dashboard (for the examples' dashboard tab) came with the install",
    );
    assert.ok(existsSync(installedModel), `the install's postinstall put the model at ${installedModel}`);
    assert.equal(sha256(installedModel), MODEL_SHA256);
    assert.ok(existsSync(installedCut), `the install's postinstall wrote the head cut at ${installedCut}`);
  });

  it('imports example 01 from Import > Examples and counts the people of the camera (the demo clip)', async () => {
    assert.ok(red, 'Node-RED runs');
    const examples = `${red.url}/library/examples/flows/${PACKAGE}/`;
    const list = (await (await fetch(examples)).json()) as Array<{ fn?: string }>;
    const name = list.map((e) => e.fn).find((fn) => fn && /^01/.test(fn));
    assert.ok(name, `example 01 listed (got ${JSON.stringify(list)})`);
    const flow = (await (await fetch(examples + encodeURIComponent(name))).json()) as Array<{
      type: string;
      url?: string;
    }>;
    const cameras = flow.filter((n) => n.type === 'rtsp-in');
    assert.ok(
      cameras.length > 0 && cameras.every((n) => n.url === '${CAMERA_URL}'),
      'its camera is ${CAMERA_URL}',
    );
    const deploy = await fetch(`${red.url}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flow),
    });
    assert.ok(deploy.ok, `POST /flows answered ${deploy.status}: ${await deploy.text()}`);
    const s = await red.peopleCounted();
    console.log(
      `      /statistics: ${JSON.stringify(people(s))} (${s.cameras ? 'cameras map' : 'one camera'})`,
    );
    assert.ok(red.ffmpeg().length > 0, 'ffmpeg reads the camera');
    // Errors of this package's nodes (the example's own function nodes are the example's business).
    const ours = Object.keys(NODES).join('|');
    const errors = red.output.split('\n').filter((l) => new RegExp(`\\[error\\] \\[(${ours}):`).test(l));
    assert.deepEqual(errors, [], 'errors logged by the nodes');
  });

  it('stops and leaves no process behind (ffmpeg included)', async () => {
    assert.ok(red, 'Node-RED runs');
    await stopAndCheckNothingLeft();
  });

  it('without the model, yolo-detect says the command that fetches it; that and a restart bring detection back', async () => {
    rmSync(installedModel);
    rmSync(installedCut);
    red = await StockNodeRed.start(userDir, env);
    const said = await waitFor(
      () =>
        /\[error\] \[yolo-detect:[^\]]*\] model file not found: (\S+): fetch it with `([^`]+)` and restart Node-RED/.exec(
          red!.output,
        ),
      30000,
      'yolo-detect to say that the model is missing',
    );
    assert.equal(said[1], installedCut);
    assert.equal(red.output.match(/model file not found/g)!.length, 1, 'said once, not once per frame');
    await stopAndCheckNothingLeft();
    // The command exactly as the node shows it, in a shell.
    execFileSync('sh', ['-c', said[2]], { env, cwd: tmpdir(), stdio: 'ignore' });
    assert.equal(sha256(installedModel), MODEL_SHA256);
    assert.ok(existsSync(installedCut), 'the command wrote the head cut too');
    red = await StockNodeRed.start(userDir, env);
    const s = await red.peopleCounted();
    console.log(`      /statistics after the restart: ${JSON.stringify(people(s))}`);
    await stopAndCheckNothingLeft();
  });
});
