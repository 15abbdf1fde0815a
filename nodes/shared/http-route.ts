import type { Express, RequestHandler } from 'express';

/** Returns the path with a leading '/', or null when it holds characters a route should not. */
export function normaliseRoutePath(path: string | undefined): string | null {
  const trimmed = (path ?? '').trim();
  if (!trimmed) return null;
  const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  return /^\/[A-Za-z0-9._~\-/]*$/.test(withSlash) && !withSlash.includes('..') ? withSlash : null;
}

/** Paths served by this package's nodes, per HTTP app, so two nodes cannot claim one path. */
const claimed = new WeakMap<Express, Set<string>>();

/** Adds a GET route to Node-RED's node HTTP app; false when another of our nodes holds the path. */
export function mountRoute(app: Express, path: string, handler: RequestHandler): boolean {
  const paths = claimed.get(app) ?? new Set<string>();
  claimed.set(app, paths);
  if (paths.has(path)) return false;
  paths.add(path);
  app.get(path, handler);
  return true;
}

interface RouterLayer {
  route?: { path: string; stack: Array<{ handle: unknown }> };
}

/**
 * Removes the route again. Express has no API for it; Node-RED's own http-in node removes its
 * layer from the router stack the same way.
 */
export function unmountRoute(app: Express, path: string, handler: RequestHandler): void {
  claimed.get(app)?.delete(path);
  const router = (app as unknown as { _router?: { stack: RouterLayer[] } })._router;
  if (!router) return;
  router.stack = router.stack.filter(
    (layer) =>
      !(layer.route && layer.route.path === path && layer.route.stack.some((s) => s.handle === handler)),
  );
}
