// Shared pieces of the static-site and browser end-to-end tests (test/e2e/site-*, cors-*, hosts-*,
// query-allow, test/rgw/site-listing): configs of blocks in front of the strict origin in either
// signing version, the list requests the origin received, a relay that answers 403 for the keys a
// credential "cannot read" (the strict origin has no per-key permissions), and a crawler that
// follows a listing's links the way a browser resolves them.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { CREDS, raw, type Res } from './origin-client.js';
import { blockFor } from './proxy-cli.js';

export interface SiteBlock {
  readonly path: string;
  readonly bucket: string;
  readonly version?: 'v4' | 'v2';
  readonly keyPrefix?: string;
  /** Another port than the origin's (a relay in front of it). */
  readonly port?: number;
  /** site, cors, hosts, query, cache, access, …: the rest of the block. */
  readonly extra?: Record<string, unknown>;
}

/** A config of header-signed blocks on the strict origin (CREDS), the admin listener on a free port. */
export function siteConfig(originPort: number, blocks: readonly SiteBlock[], o: { stores?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0, admin: { host: '127.0.0.1', port: 0 } },
    log: { level: 'error' },
    credentials: { reader: { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey } },
    ...(o.stores ? { cache: o.stores } : {}),
    proxies: blocks.map((b) =>
      blockFor(b.port ?? originPort, {
        path: b.path,
        bucket: b.bucket,
        version: b.version ?? 'v4',
        mode: 'header',
        credentials: 'reader',
        ...(b.keyPrefix ? { keyPrefix: b.keyPrefix } : {}),
        ...(b.extra ? { extra: b.extra } : {}),
      }),
    ),
  };
}

/** A list request (ListObjectsV2 or ListObjects) as the origin received it. */
export interface ListCall {
  readonly url: string;
  readonly params: URLSearchParams;
  readonly auth: string;
}

/** The list requests the origin received after index `from` (virtual-hosted: a GET of `/?…` with `prefix`). */
export function listCalls(origin: { requests: ReadonlyArray<{ method: string; url: string; auth: string }> }, from = 0): ListCall[] {
  return origin.requests.slice(from).flatMap((r) => {
    const q = r.url.indexOf('?');
    if (r.method !== 'GET' || q === -1 || !/^\/([^/]+\/?)?$/.test(r.url.slice(0, q))) return [];
    const params = new URLSearchParams(r.url.slice(q + 1));
    return params.has('prefix') ? [{ url: r.url, params, auth: r.auth }] : [];
  });
}

/** Requests for one object key (the path, decoded, ends with `/key`) after index `from`. */
export function keyRequests(origin: { requests: ReadonlyArray<{ method: string; url: string }> }, key: string, from = 0): Array<{ method: string; url: string }> {
  return origin.requests.slice(from).filter((r) => decodeURIComponent(r.url.split('?')[0]!).endsWith(`/${key}`));
}

export interface Relay {
  readonly port: number;
  /** Requests the relay answered 403 itself. */
  readonly denied: string[];
}

/**
 * A store in front of the strict origin that answers S3's own 403 AccessDenied for the requests
 * `deny` picks (a key the proxy's credential may not read), and relays every other request byte
 * for byte (Host included), so the origin still verifies the proxy's signatures.
 */
export async function startDenyingRelay(t: TestContext, originPort: number, deny: (req: IncomingMessage) => boolean): Promise<Relay> {
  const denied: string[] = [];
  const server: Server = createServer((req, res) => {
    if (deny(req)) {
      denied.push(req.url ?? '');
      req.resume();
      const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>RELAY0000000001</RequestId></Error>';
      // A HEAD's error has no body (S3 sends none): the length says what a GET would have had.
      res.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      return void res.end(req.method === 'HEAD' ? undefined : xml);
    }
    const up = request({ host: '127.0.0.1', port: originPort, method: req.method, path: req.url, headers: req.headers, agent: false }, (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, denied };
}

/** One row of an HTML listing: the link as written and the name as a browser shows it. */
export interface Row {
  readonly href: string;
  readonly name: string;
  readonly folder: boolean;
}

const unescapeHtml = (s: string): string => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&(amp|lt|gt|quot);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e]!);

/** The rows of an HTML listing, the parent link (`../`) left out. */
export function rowsOf(html: string): Row[] {
  const rows: Row[] = [];
  for (const m of html.matchAll(/<li( class="folder")?><a href="([^"]*)">([^<]*)<\/a>/g)) {
    if (m[2] === '../') continue;
    rows.push({ href: unescapeHtml(m[2]!), name: unescapeHtml(m[3]!), folder: m[1] !== undefined });
  }
  return rows;
}

/** Where a browser goes from the page at `from` (a path) when it follows `href`. */
export const follow = (from: string, href: string): string => {
  const u = new URL(href, `http://viewer.test${from}`);
  return u.pathname + u.search;
};

export interface Crawled {
  /** Object key (relative to the block) → the path its link leads to. */
  readonly objects: Map<string, string>;
  /** Folder key (ends in `/`) → its listing's answer. */
  readonly folders: Map<string, Res>;
}

/**
 * Every folder listing under `root` (a block's path), breadth first, keys built from the names the
 * listings show (not from the links), and every link resolved as a browser would resolve it.
 */
export async function crawl(port: number, root: string, headers: Record<string, string> = {}): Promise<Crawled> {
  const objects = new Map<string, string>();
  const folders = new Map<string, Res>();
  const queue: Array<[string, string]> = [['', root]];
  while (queue.length > 0) {
    const [key, path] = queue.shift()!;
    const res = await raw(port, { path, headers });
    folders.set(key, res);
    if (res.status !== 200) continue;
    for (const row of rowsOf(res.text)) {
      const to = follow(path, row.href);
      if (row.folder) queue.push([key + row.name, to]);
      else objects.set(key + row.name, to);
    }
  }
  return { objects, folders };
}
