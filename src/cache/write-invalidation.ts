import type { ResolvedBlock } from '../config/types.js';
import { uriEncodePath } from '../signing/uri-encode.js';
import { objectBase } from './cache-key.js';

/**
 * Which cached copies a write can make stale: every cached block reading the same store (the
 * origin dialled, the Host signed, the same bucket path) — the writer itself and, as README
 * "Ingest" suggests, a cached read block beside an uncached ingest block on one bucket.
 */
export type WriteInvalidation = (writer: ResolvedBlock, upstreamPath: string) => readonly string[];

interface Reader {
  readonly block: ResolvedBlock;
  /** The upstream path every key of the block starts with: its bucket path and encoded keyPrefix. */
  readonly under: string;
}

/** Compiled once per configuration: for each block, the cached blocks on its store. */
export function writeInvalidation(blocks: readonly ResolvedBlock[]): WriteInvalidation {
  const store = (b: ResolvedBlock): string => `${b.origin}\n${b.host}\n${b.basePath}`;
  const readers = new Map<string, Reader[]>();
  for (const b of blocks) {
    if (!b.cache) continue;
    const list = readers.get(store(b)) ?? [];
    list.push({ block: b, under: `${b.basePath}${uriEncodePath(b.keyPrefix)}` });
    readers.set(store(b), list);
  }
  /** The object bases of `upstreamPath` in every cached block whose keyPrefix covers it. */
  return (writer, upstreamPath) => (readers.get(store(writer)) ?? []).filter((r) => upstreamPath.startsWith(r.under)).map((r) => objectBase(r.block, upstreamPath));
}
