// A generated request as the proxy puts it on the wire, and as the oracles (smithy, awscrt) are
// given it: the SigV4 and SigV4A oracle tests build both forms the same way.
import { uriEncode, uriEncodePath } from '../../src/signing/uri-encode.js';

interface GeneratedParts {
  readonly key: string;
  /** Valueless parameters (`?uploads`) are undefined. */
  readonly query: ReadonlyArray<readonly [string, string | undefined]>;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly range?: string | undefined;
}

export interface WireForm {
  hostname: string;
  wirePath: string;
  wireQuery: string;
  headers: Array<[string, string]>;
  /** Decoded query, repeated keys as arrays (smithy's HttpRequest form). */
  decodedQuery: Record<string, string | string[]>;
}

export function wireForm(hostname: string, g: GeneratedParts): WireForm {
  const wirePath = `/${uriEncodePath(g.key)}`;
  // Valueless parameters have no `=` on the wire; the oracles get them as ''.
  const wireQuery = g.query.map(([k, v]) => (v === undefined ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join('&');
  // No prototype: a generated key such as "valueOf" or "__proto__" is just a key.
  const decodedQuery: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of g.query) {
    const prev = decodedQuery[k];
    const val = v ?? '';
    decodedQuery[k] = prev === undefined ? val : Array.isArray(prev) ? [...prev, val] : [prev, val];
  }
  const headers: Array<[string, string]> = [['host', hostname], ...g.headers.map(([n, v]): [string, string] => [n, v])];
  if (g.range) headers.push(['range', g.range]);
  return { hostname, wirePath, wireQuery, headers, decodedQuery };
}
