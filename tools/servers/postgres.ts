import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { waitForPort } from './ports';

/** Debian's PostgreSQL binaries (postgresql-15; a newer major is taken when it is the one there). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new Error('PostgreSQL is not installed: run bash scripts/install.sh --test');
  return path.join(root, majors[0], 'bin');
}

/**
 * A real PostgreSQL server of its own (a fresh cluster in a temporary folder, removed at stop) on a
 * loopback port, for the tests and `npm run chain`. PostgreSQL refuses to run as root: as root, it
 * runs as Debian's `postgres` user, in a folder that user made. Local connections are trusted
 * (loopback only); the database `analytics` is made.
 */
export class Postgres {
  readonly database = 'analytics';
  readonly user = 'postgres';
  private readonly asUser: string[];

  private dir = '';

  constructor(
    public port: number,
    /** false (tests): no fsync, faster; true for a load measurement worth quoting. */
    readonly durable = false,
  ) {
    this.asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  }

  get url(): string {
    return `postgres://${this.user}@127.0.0.1:${this.port}/${this.database}`;
  }

  private run(command: string, args: string[]): string {
    const exe = command.includes('/') ? command : path.join(binDir(), command);
    const [first, ...rest] = [...this.asUser, exe, ...args];
    const r = spawnSync(first, rest, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  /** Makes the cluster (first time) and starts the server. */
  async start(): Promise<void> {
    if (!this.dir) {
      this.dir = this.asUser.length
        ? this.run('/usr/bin/mktemp', ['-d', path.join(os.tmpdir(), 'store-analytics-pg-XXXXXX')]).trim()
        : mkdtempSync(path.join(os.tmpdir(), 'store-analytics-pg-'));
      this.run('initdb', [
        '-D',
        path.join(this.dir, 'data'),
        '-U',
        this.user,
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--no-sync',
      ]);
    }
    const data = path.join(this.dir, 'data');
    this.run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(this.dir, 'postgres.log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1${this.durable ? '' : ' -c fsync=off'}`,
      'start',
    ]);
    await waitForPort(this.port, 20_000, 'postgres');
    const c = new Client({ connectionString: `postgres://${this.user}@127.0.0.1:${this.port}/postgres` });
    await c.connect();
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.database]);
      if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${this.database}`);
    } finally {
      await c.end();
    }
  }

  /** Stops the server; it can be started again (the data stay) until `remove`. */
  async stop(): Promise<void> {
    if (!this.dir) return;
    const data = path.join(this.dir, 'data');
    if (existsSync(path.join(data, 'postmaster.pid')))
      this.run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  }

  /** Stops it and removes its folder. */
  async remove(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = '';
  }

  /** A client of the analytics database (the caller ends it). */
  async client(): Promise<Client> {
    const c = new Client({ connectionString: this.url });
    await c.connect();
    return c;
  }
}
