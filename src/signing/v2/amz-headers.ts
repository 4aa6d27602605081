import { trimOws } from '../ows.js';
import type { HeaderList } from '../types.js';

/**
 * CanonicalizedAmzHeaders: every `x-amz-*` header, name lower-cased, sorted, repeated headers
 * joined with `,`, folded white space unfolded to one space and values trimmed; each line ends
 * with `\n` (S3 REST authentication, "Constructing the CanonicalizedAmzHeaders Element").
 */
export function canonicalAmzHeaders(headers: HeaderList): string {
  const byName = new Map<string, string>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (!key.startsWith('x-amz-')) continue;
    const clean = trimOws(value.replace(/[ \t]*\r?\n[ \t]*/g, ' '));
    const seen = byName.get(key);
    byName.set(key, seen === undefined ? clean : `${seen},${clean}`);
  }
  let out = '';
  for (const name of [...byName.keys()].sort()) out += `${name}:${byName.get(name)}\n`;
  return out;
}
