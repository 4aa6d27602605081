import { trimOws } from '../ows.js';
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
  // Kept sorted while they are read (insertion sort: a signed request has a handful of headers),
  // with no Map, key list or Array#sort work array: this runs for every request the proxy signs.
  // `<` compares UTF-16 code units, as Array#sort's default order did; names are lower-cased
  // ASCII in practice.
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const clean = normalizeHeaderValue(value);
    let i = names.length;
    while (i > 0 && key < names[i - 1]!) i--;
    if (i > 0 && names[i - 1] === key) {
      values[i - 1] = `${values[i - 1]},${clean}`;
      continue;
    }
    names.push(key);
    values.push(clean);
    for (let j = names.length - 1; j > i; j--) {
      names[j] = names[j - 1]!;
      values[j] = values[j - 1]!;
    }
    names[i] = key;
    values[i] = clean;
  }
  let canonical = '';
  for (let i = 0; i < names.length; i++) canonical += `${names[i]}:${values[i]}\n`;
  return { canonical, signedHeaders: names.join(';') };
}

// SigV4's white space is SP and HTAB (RFC 9110 OWS), plus the CR LF of folded lines: not
// JavaScript's \s, which also trims 0xA0 and other Unicode spaces that S3-compatible stores keep.
const INNER_SPACE = /[ \t\r\n]+/g;
const NEEDS_CLEANING = /^[ \t\r\n]|[ \t\r\n]$|[ \t\r\n]{2}|[\t\r\n]/;

export function normalizeHeaderValue(value: string): string {
  return NEEDS_CLEANING.test(value) ? trimOws(value).replace(INNER_SPACE, ' ') : value;
}
