import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Node-RED's runtime API as far as the benchmark uses it (the package ships no types for it). */
interface NodeRedRuntime {
  init(server: http.Server, settings: object): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: http.RequestListener;
  httpNode: http.RequestListener;
  hooks: { add(name: string, fn: (event: never) => void): void; remove(name: string): void };
}

export interface ReceiveEvent {
  msg: Record<string, unknown>;
  destination: { id: string; node: { type: string; id: string } };
}
export interface CompleteEvent {
  msg: Record<string, unknown>;
  node: { id: string; node: { type: string; id: string } };
  error?: unknown;
}

/**
 * A real Node-RED runtime inside this process (so the benchmark can time every node with Node-RED's
 * message hooks), with this package's nodes, on a free loopback port.
 */
export class EmbeddedNodeRed {
  private constructor(
    readonly red: NodeRedRuntime,
    private readonly server: http.Server,
    readonly userDir: string,
    readonly url: string,
  ) {}

  static async start(
    flow: object[],
    projectRoot: string,
    extraNodesDirs: string[] = [],
  ): Promise<EmbeddedNodeRed> {
    const userDir = mkdtempSync(path.join(os.tmpdir(), 'store-analytics-bench-'));
    writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const red = require('node-red') as NodeRedRuntime;
    const handlers: { admin?: http.RequestListener; node?: http.RequestListener } = {};
    const server = http.createServer((req, res) => {
      const handler = req.url?.startsWith('/admin') ? handlers.admin : handlers.node;
      if (handler) handler(req, res);
      else res.writeHead(404).end();
    });
    red.init(server, {
      userDir,
      // This package, loaded from its folder (package.json's node-red section), as installed.
      nodesDir: [projectRoot, ...extraNodesDirs],
      flowFile: 'flows.json',
      httpAdminRoot: '/admin',
      httpNodeRoot: '/',
      uiHost: '127.0.0.1',
      logging: { console: { level: 'warn', metrics: false, audit: false } },
      editorTheme: { projects: { enabled: false }, tours: false },
      diagnostics: { enabled: false },
      telemetry: { enabled: false },
      externalModules: { autoInstall: false, palette: { allowInstall: false } },
      credentialSecret: 'bench',
    });
    handlers.admin = red.httpAdmin;
    handlers.node = red.httpNode;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await red.start();
    return new EmbeddedNodeRed(red, server, userDir, url);
  }

  async stop(): Promise<void> {
    await this.red.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.userDir, { recursive: true, force: true });
  }
}
