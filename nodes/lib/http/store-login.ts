// The store login: HTTP Basic credentials checked against one user and a password check (a bcrypt
// hash in the settings). One object answers for every way into the store's data, so the pages and
// endpoints (Node-RED's httpNodeAuth) and the dashboard's live socket (node-red-dashboard's
// ioMiddleware), whose requests never pass through Node-RED's HTTP middleware, are guarded by the
// same check.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Tells whether a password is the store's (a bcrypt comparison against the configured hash). */
export type PasswordCheck = (password: string) => boolean | Promise<boolean>;

export interface BasicCredentials {
  user: string;
  password: string;
}

/** The user and password of an `Authorization: Basic ...` header, or null when there is none. */
export function basicCredentials(authorization: string | undefined): BasicCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Minimal shapes of an Express request and response, so this core needs no web framework. */
export interface LoginRequest {
  method?: string;
  headers: IncomingHttpHeaders;
}
export interface LoginResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}
/** A socket.io socket as its middleware sees it (the handshake's HTTP headers). */
export interface HandshakeSocket {
  handshake: { headers: IncomingHttpHeaders };
}

export class StoreLogin {
  /**
   * SHA-256 of the password that last passed. bcrypt costs ~70 ms of the event loop by design; the
   * dashboard opens a socket and the page streams and polls, so the accepted password is remembered
   * (as Node-RED's own basic auth does): it cannot change without a restart.
   */
  private accepted: Buffer | null = null;
  private readonly userDigest: Buffer;

  constructor(
    readonly user: string,
    private readonly passwordCheck: PasswordCheck,
    readonly realm = 'Store',
  ) {
    this.userDigest = digest(user);
  }

  /** Whether these request headers carry the store login. */
  async allows(headers: IncomingHttpHeaders): Promise<boolean> {
    const credentials = basicCredentials(headers.authorization);
    if (!credentials) return false;
    // Both compared in constant time; the password check runs even for a wrong user, so the answer's
    // timing does not tell which of the two was wrong.
    const userMatches = timingSafeEqual(digest(credentials.user), this.userDigest);
    const passwordDigest = digest(credentials.password);
    let passwordMatches = this.accepted !== null && timingSafeEqual(passwordDigest, this.accepted);
    if (!passwordMatches) {
      passwordMatches = await this.passwordCheck(credentials.password);
      if (passwordMatches) this.accepted = passwordDigest;
    }
    return userMatches && passwordMatches;
  }

  /** Express middleware for Node-RED's `httpNodeAuth`: 401 with a Basic challenge without the login. */
  readonly httpMiddleware = (req: LoginRequest, res: LoginResponse, next: () => void): void => {
    // A CORS preflight carries no credentials by the standard; what follows it does.
    if (req.method === 'OPTIONS') return next();
    this.allows(req.headers).then(
      (ok) => (ok ? next() : this.refuse(res)),
      () => this.refuse(res),
    );
  };

  /** socket.io middleware (node-red-dashboard's `ui.ioMiddleware`): no connection without the login. */
  readonly socketMiddleware = (socket: HandshakeSocket, next: (err?: Error) => void): void => {
    this.allows(socket.handshake.headers).then(
      (ok) => next(ok ? undefined : new Error('the store login is required')),
      () => next(new Error('the store login is required')),
    );
  };

  private refuse(res: LoginResponse): void {
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', `Basic realm="${this.realm}", charset="UTF-8"`);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('The store login is required.\n');
  }
}
