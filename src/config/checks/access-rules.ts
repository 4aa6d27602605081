import { loadPublicKey } from '../public-key.js';
import type { RawAccess } from '../access-schema.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

/** Each signed-URL public key must load (PEM text, or a file that holds one). */
export function publicKeyFindings(access: RawAccess | undefined, at: ConfigPath): Finding[] {
  const out: Finding[] = [];
  for (const [id, value] of Object.entries(access?.signedUrls?.keys ?? {})) {
    try {
      loadPublicKey(value);
    } catch (err) {
      out.push(error([...at, 'signedUrls', 'keys', id], `cannot use this public key: ${(err as Error).message}`));
    }
  }
  return out;
}

/** The CDN's secret header authenticates the CDN: forwarding it would hand it to the store. */
export function secretHeaderFindings(access: RawAccess | undefined, includeHeaders: readonly string[], block: ConfigPath): Finding[] {
  const name = access?.requireHeader?.name;
  if (!name || !includeHeaders.includes(name)) return [];
  return [error([...block, 'signing', 'includeHeaders'], `${name} is the access.requireHeader secret: it is never forwarded`)];
}
