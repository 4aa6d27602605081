import { createHash } from 'node:crypto';
import { baseOfKey } from './cache-key.js';
import type { Entry } from './entry.js';
import { parseEntryMeta } from './entry-meta.js';

/**
 * How the shared tier lays out the shield's entries in Redis. Cache keys hold newlines and any
 * byte a URL may carry, so none is used as it is:
 *
 * - an entry lives at `NS e:<sha256 of its cache key>` (the key itself is in the value, checked on
 *   every read);
 * - each object has an index, a set at `NS o:<hex of its base>` listing its entries (query variants
 *   and slices). An entry is served only while its index lists it: an invalidation deletes the index
 *   (and the entries), and an index that Redis evicts takes its entries with it — never the reverse;
 * - the hex form has no glob character, so a purge's `SCAN MATCH NS o:<hex of prefix>*` matches
 *   exactly the objects under the prefix (hex keeps byte prefixes as prefixes);
 * - a fill's fleet lock lives at `NS l:<sha256 of its collapse key>`.
 */
export const NAMESPACE = 'origin-signer:1:';

/**
 * The replicas' pub/sub channel for the Redis database they use. Keys live in one database, but
 * pub/sub spans the whole server: deployments kept apart by database number would hear each
 * other's purges, so the channel names the database. Database 0 keeps the name it always had
 * (replicas of an older version still hear the newer ones during a rolling update).
 */
export const channelOf = (db: number): string => (db === 0 ? `${NAMESPACE}events` : `${NAMESPACE}events:db${db}`);

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

export const entryKey = (key: string): string => `${NAMESPACE}e:${sha256(key)}`;
export const indexKey = (base: string): string => `${NAMESPACE}o:${hex(base)}`;
export const indexOfKey = (key: string): string => indexKey(baseOfKey(key));
export const lockKey = (collapseKey: string): string => `${NAMESPACE}l:${sha256(collapseKey)}`;
/** The SCAN pattern of every object index whose base starts with `prefix`. */
export const indexPattern = (prefix: string): string => `${NAMESPACE}o:${hex(prefix)}*`;

/** An entry as one Redis value: a 4-byte length, a JSON header with its key and metadata, the body. */
export function encodeEntry(key: string, entry: Entry): Buffer {
  const header = Buffer.from(JSON.stringify({ k: key, m: entry.meta }), 'utf8');
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(header.length, 0);
  return Buffer.concat([len, header, entry.body]);
}

/** The entry in a value, or undefined when it is not one, or is another key's. */
export function decodeEntry(key: string, value: Buffer): Entry | undefined {
  if (value.length < 4) return undefined;
  const n = value.readUInt32BE(0);
  if (4 + n > value.length) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(value.subarray(4, 4 + n).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || (header as { k?: unknown }).k !== key) return undefined;
  const meta = parseEntryMeta((header as { m?: unknown }).m);
  return meta ? { meta, body: value.subarray(4 + n) } : undefined;
}
