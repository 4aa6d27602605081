import type { OutgoingHttpHeaders } from 'node:http';
import { HOP_BY_HOP } from '../http/hop-by-hop.js';

/**
 * Upstream response headers to pass to the viewer: status and entity headers (`ETag`,
 * `Last-Modified`, `Content-Range`, `Accept-Ranges`, metadata …) pass, hop-by-hop headers do not
 * (RFC 9110 §7.6.1). Headers named in `Connection` are hop-by-hop too.
 */
export interface ResponseHeaderRules {
  readonly remove: ReadonlySet<string>;
  readonly set: Readonly<Record<string, string>>;
  readonly default: Readonly<Record<string, string>>;
}

export function viewerHeaders(upstream: Record<string, string | string[] | undefined>, rules?: ResponseHeaderRules): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const connection = upstream['connection'];
  // `Connection: keep-alive` / `close` (nearly every response) name no other header: skip the split.
  const plain = connection === undefined || connection === 'keep-alive' || connection === 'close';
  const named = plain ? undefined : String(connection).toLowerCase().split(/\s*,\s*/);
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named?.includes(name) || rules?.remove.has(name)) continue;
    out[name] = value;
  }
  if (rules) {
    for (const name in rules.default) if (out[name] === undefined) out[name] = rules.default[name];
    for (const name in rules.set) out[name] = rules.set[name];
  }
  return out;
}
