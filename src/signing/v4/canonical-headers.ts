import type { HeaderList } from '../types.js';

export interface CanonicalHeaders {
  /** `name:value\n` for every header, sorted by name (the block ends with a newline). */
  readonly canonical: string;
  /** `name;name;…`, sorted. */
  readonly signedHeaders: string;
}

/**
 * CanonicalHeaders and SignedHeaders (SigV4, "Create a canonical request"): names lower-cased,
 * values trimmed with inner runs of white space — folded lines included (suite
 * get-header-value-multiline) — collapsed to one space; repeated headers joined with `,` in the
 * order they were given (get-header-key-duplicate, get-header-value-order).
 */
export function canonicalHeaders(headers: HeaderList): CanonicalHeaders {
  const byName = new Map<string, string>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const clean = normalizeHeaderValue(value);
    const seen = byName.get(key);
    byName.set(key, seen === undefined ? clean : `${seen},${clean}`);
  }
  const names = [...byName.keys()].sort();
  let canonical = '';
  for (const name of names) canonical += `${name}:${byName.get(name)}\n`;
  return { canonical, signedHeaders: names.join(';') };
}

const INNER_SPACE = /\s+/g;
const NEEDS_CLEANING = /^\s|\s$|\s\s|[\t\n\r]/;

export function normalizeHeaderValue(value: string): string {
  return NEEDS_CLEANING.test(value) ? value.trim().replace(INNER_SPACE, ' ') : value;
}
