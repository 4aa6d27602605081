import { statSync } from 'node:fs';
import type { RawBlockCache, RawCacheStores } from '../cache-schema.js';
import { cacheStoresSchema } from '../cache-schema.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';

const mib = (n: number): string => `${Math.round((n / 1024 ** 2) * 100) / 100} MiB`;

/** Whether `file` is a regular file (a directory "exists" too, and fails only when the tier connects). */
const isFile = (file: string): boolean => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

/** The memory store must hold what a fill holds: one object up to maxObjectSize. */
export function cacheStoreFindings(stores: RawCacheStores | undefined, exists: (file: string) => boolean = isFile): Finding[] {
  if (!stores) return [];
  const m = stores.memory;
  const out: Finding[] = [];
  if (m.maxObjectSize > m.maxSize) out.push(error(['cache', 'memory', 'maxObjectSize'], `maxObjectSize (${mib(m.maxObjectSize)}) is larger than memory.maxSize (${mib(m.maxSize)})`));
  const sh = stores.shared;
  if (sh?.caFile !== undefined) {
    // The URL is not quoted: it may hold a password.
    if (!sh.url.startsWith('rediss:')) out.push(error(['cache', 'shared', 'caFile'], 'caFile is for TLS: the url must start with rediss://'));
    else if (!exists(sh.caFile)) out.push(error(['cache', 'shared', 'caFile'], `cannot read the CA file ${sh.caFile} (it must be a file)`));
  }
  return out;
}

/**
 * A slice is filled in memory like an object: it must fit under memory.maxObjectSize. Without
 * top-level `cache:` the default stores apply (256 MiB, 8 MiB objects).
 */
export function blockCacheFindings(cache: RawBlockCache | undefined, stores: RawCacheStores | undefined | 'unknown', at: ConfigPath): Finding[] {
  if (!cache || stores === 'unknown') return [];
  const out: Finding[] = [];
  const maxObject = (stores ?? cacheStoresSchema.parse({})).memory.maxObjectSize;
  if (cache.slice !== undefined && cache.slice > maxObject) out.push(error([...at, 'cache', 'slice'], `slice (${mib(cache.slice)}) is larger than cache.memory.maxObjectSize (${mib(maxObject)}): a slice is filled in memory`));
  if (cache.ttl > cache.maxTtl) out.push(warning([...at, 'cache', 'ttl'], `ttl (${cache.ttl} s) is above maxTtl (${cache.maxTtl} s): objects are kept at most maxTtl`));
  return out;
}
