import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlockCors } from '../config/types.js';

/**
 * CORS (the Fetch standard, https://fetch.spec.whatwg.org/#http-cors-protocol) for a block with
 * `cors:`, answered by the proxy itself: the store's own CORS configuration never decides.
 */

/** `https://*.example.org` matches one more label of that host, same scheme and port. */
export function originAllowed(cors: BlockCors, origin: string): boolean {
  const o = origin.toLowerCase();
  for (const p of cors.origins) {
    if (p === '*' || p === o) return true;
    const star = p.indexOf('://*.');
    if (star === -1) continue;
    const scheme = p.slice(0, star + 3);
    const suffix = p.slice(star + 4);
    if (!o.startsWith(scheme) || !o.endsWith(suffix)) continue;
    const label = o.slice(scheme.length, o.length - suffix.length);
    if (label !== '' && !/[.:/]/.test(label)) return true;
  }
  return false;
}

/** The value of Access-Control-Allow-Origin: `*` only for an any-origin rule without credentials. */
const allowOrigin = (cors: BlockCors, origin: string): string => (cors.origins.includes('*') && !cors.credentials ? '*' : origin);

/**
 * Headers of an actual response, set before anything is written so every answer carries them —
 * the object, a cached copy, a 304, the proxy's own errors. `Vary: Origin` on every answer of the
 * block: what it says depends on the Origin (RFC 9110 §12.5.5).
 */
export function applyCors(res: ServerResponse, cors: BlockCors, origin: string | undefined): void {
  res.setHeader('vary', 'Origin');
  if (origin === undefined || !originAllowed(cors, origin)) return;
  res.setHeader('access-control-allow-origin', allowOrigin(cors, origin));
  if (cors.credentials) res.setHeader('access-control-allow-credentials', 'true');
  if (cors.exposeHeaders.length > 0) res.setHeader('access-control-expose-headers', cors.exposeHeaders.join(', '));
}

/**
 * A store's answer headers as a block with `cors:` passes them on: the store's own
 * `Access-Control-*` headers dropped (they would replace the proxy's, and tell an origin the block
 * does not allow that it may read), and its `Vary` kept with `Origin` in it (it would replace the
 * proxy's `Vary: Origin`, and a CDN would serve one origin's answer to another). A fresh object.
 */
export function storeHeadersUnderCors<T extends string | string[] | undefined>(headers: Readonly<Record<string, T>>): Record<string, T | string> {
  const out: Record<string, T | string> = {};
  for (const name in headers) if (!name.startsWith('access-control-')) out[name] = headers[name]!;
  const vary = headers['vary'];
  if (vary !== undefined) {
    const names = (Array.isArray(vary) ? vary.join(',') : String(vary)).split(',').map((v) => v.trim()).filter((v) => v !== '');
    out['vary'] = names.includes('*') ? '*' : names.some((v) => v.toLowerCase() === 'origin') ? names.join(', ') : ['Origin', ...names].join(', ');
  }
  return out;
}

/** A preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export const isPreflight = (req: IncomingMessage): boolean => req.method === 'OPTIONS' && typeof req.headers.origin === 'string' && typeof req.headers['access-control-request-method'] === 'string';

/** CORS-safelisted request headers need no permission (Fetch §2.2.2). */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language', 'content-type']);

/**
 * Why a preflight is refused, or undefined when it passes: the origin, the method and every
 * requested header must be allowed.
 */
export function preflightProblem(cors: BlockCors, req: IncomingMessage): string | undefined {
  const origin = req.headers.origin!;
  if (!originAllowed(cors, origin)) return 'cors: origin not allowed';
  const method = String(req.headers['access-control-request-method']).toUpperCase();
  if (!cors.methods.includes(method)) return `cors: method ${method.slice(0, 16)} not allowed`;
  const asked = String(req.headers['access-control-request-headers'] ?? '')
    .toLowerCase()
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  const refused = asked.find((h) => !SAFELISTED.has(h) && !cors.headers.includes(h));
  return refused === undefined ? undefined : `cors: header ${refused.slice(0, 64)} not allowed`;
}

/** The answer to an allowed preflight: 204 with what the browser may do, kept for maxAge. */
export function answerPreflight(res: ServerResponse, cors: BlockCors, req: IncomingMessage, requestId: string): void {
  const origin = req.headers.origin!;
  const headers: Record<string, string> = {
    'access-control-allow-origin': allowOrigin(cors, origin),
    'access-control-allow-methods': cors.methods.join(', '),
    'access-control-max-age': String(cors.maxAge),
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    'x-request-id': requestId,
  };
  if (cors.headers.length > 0) headers['access-control-allow-headers'] = cors.headers.join(', ');
  if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  res.writeHead(204, headers);
  res.end();
}
