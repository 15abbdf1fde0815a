import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitForPort } from './ports';

export interface MosquittoOptions {
  /** A folder of its own: config, password file, persistence, log. */
  dir: string;
  port: number;
  /** With a user, anonymous clients are refused. */
  user?: { name: string; password: string };
  /** A TLS listener on this port too, with these PEM files. */
  tls?: { port: number; ca: string; cert: string; key: string };
}

/**
 * A real Mosquitto (Debian's package) on loopback, for the tests and `npm run chain`: persistent (a
 * stop and start keeps the sessions and their queued QoS 1 messages, as a broker restart does), and
 * queues without the default 1000-message bound, as a chain's broker should be set up.
 */
export class Mosquitto {
  private child: ChildProcess | null = null;
  private readonly config: string;

  constructor(readonly options: MosquittoOptions) {
    const { dir, port, user, tls } = options;
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    const lines = [
      `listener ${port} 127.0.0.1`,
      ...(tls
        ? [`listener ${tls.port} 127.0.0.1`, `cafile ${tls.ca}`, `certfile ${tls.cert}`, `keyfile ${tls.key}`]
        : []),
      'persistence true',
      `persistence_location ${path.join(dir, 'data')}/`,
      'autosave_interval 1',
      'max_queued_messages 0',
      'max_inflight_messages 32',
      `log_dest file ${path.join(dir, 'mosquitto.log')}`,
      'log_type error',
      'log_type warning',
      'log_type notice',
      // Run as whoever started it (root in CI keeps root, so the folder stays readable).
      ...(process.getuid?.() === 0 ? ['user root'] : []),
    ];
    if (user) {
      const passwords = path.join(dir, 'passwords');
      writeFileSync(passwords, '');
      execFileSync('mosquitto_passwd', ['-b', passwords, user.name, user.password]);
      lines.push('allow_anonymous false', `password_file ${passwords}`);
    } else {
      lines.push('allow_anonymous true');
    }
    // Mosquitto 2 applies these per listener unless told they are global.
    lines.unshift('per_listener_settings false');
    this.config = path.join(dir, 'mosquitto.conf');
    writeFileSync(this.config, `${lines.join('\n')}\n`);
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn('mosquitto', ['-c', this.config], { stdio: 'ignore' });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    await waitForPort(this.options.port, 10_000, 'mosquitto');
    if (this.options.tls) await waitForPort(this.options.tls.port, 10_000, 'mosquitto (TLS)');
  }

  /** Stops it (SIGTERM: it saves its sessions first) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
