import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';

/** A loopback server standing in for a broken camera; `close()` ends it and its connections. */
export interface BrokenCamera {
  port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

function tracked(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  return sockets;
}

/** Accepts the connection, reads the request and never answers: a camera hung at start. */
export async function silentCamera(): Promise<BrokenCamera> {
  const server = net.createServer((socket) => socket.resume());
  const sockets = tracked(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

/** Answers every connection with an endless stream of random bytes: a camera sending garbage. */
export async function garbageCamera(): Promise<BrokenCamera> {
  const server = net.createServer((socket) => {
    socket.resume();
    const send = () => {
      if (socket.destroyed) return;
      if (socket.write(randomBytes(4096))) setTimeout(send, 10);
      else socket.once('drain', send);
    };
    send();
  });
  const sockets = tracked(server);
  return { port: await listen(server), close: closer(server, sockets) };
}

/** A web server with an ordinary HTML page at every path: a URL that is not a video. */
export async function webPage(): Promise<BrokenCamera> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Router login</title><p>Welcome</p>');
  });
  const sockets = tracked(server);
  return { port: await listen(server), close: closer(server, sockets) };
}
