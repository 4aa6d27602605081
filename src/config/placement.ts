import type { ZodObject } from 'zod';
import type { ConfigPath } from './problems.js';
import { accessSchema } from './access-schema.js';
import { poolSchema, proxySchema, responseHeadersSchema, retrySchema, signingSchema, spoolSchema } from './block-schema.js';
import { configSchema } from './schema.js';
import { logSchema, readinessSchema, serverSchema } from './server-schema.js';
import { mediastoreUpstream, s3Upstream } from './upstream-schema.js';

/**
 * A key at the wrong depth is the commonest YAML mistake, and zod can only call it "unknown".
 * These tables, read from the schemas so they stay in step, say where such a key belongs.
 */
const keysOf = (...schemas: ZodObject[]): ReadonlySet<string> => new Set(schemas.flatMap((s) => Object.keys(s.shape)));

const BLOCK_SECTIONS: ReadonlyArray<readonly [string, ReadonlySet<string>]> = [
  ['upstream', keysOf(s3Upstream, mediastoreUpstream)],
  ['signing', keysOf(signingSchema)],
  ['pool', keysOf(poolSchema)],
  ['spool', keysOf(spoolSchema)],
  ['retry', keysOf(retrySchema)],
  ['responseHeaders', keysOf(responseHeadersSchema)],
  ['access', keysOf(accessSchema)],
];
const TOP_SECTIONS: ReadonlyArray<readonly [string, ReadonlySet<string>]> = [
  ['server', keysOf(serverSchema)],
  ['log', keysOf(logSchema)],
  ['readiness', keysOf(readinessSchema)],
];
const BLOCK_KEYS = keysOf(proxySchema);
const TOP_KEYS = keysOf(configSchema);

const sectionOf = (sections: typeof BLOCK_SECTIONS, key: string): string | undefined => sections.find(([, keys]) => keys.has(key))?.[0];
const isBlock = (path: ConfigPath): boolean => path.length === 2 && path[0] === 'proxies' && typeof path[1] === 'number';

/** Where an unknown key at `path` probably belongs — a clause for after "unknown key" — if anywhere. */
export function misplacedKeyHint(path: ConfigPath, key: string): string | undefined {
  if (isBlock(path)) {
    const section = sectionOf(BLOCK_SECTIONS, key);
    if (section) return `it belongs under ${section}: (the indentation is probably wrong)`;
    if (TOP_KEYS.has(key)) return 'it is a top-level key (the indentation is probably wrong)';
    return undefined;
  }
  if (path.length === 3 && isBlock(path.slice(0, 2))) {
    const here = String(path[2]);
    if (BLOCK_KEYS.has(key)) return 'it belongs to the block, one level up (the indentation is probably wrong)';
    const section = sectionOf(BLOCK_SECTIONS, key);
    if (section && section !== here) return `it belongs under ${section}:, not ${here}:`;
    return undefined;
  }
  if (path.length === 0) {
    const section = sectionOf(TOP_SECTIONS, key);
    if (section) return `it belongs under ${section}:`;
    if (BLOCK_KEYS.has(key)) return 'it is a proxy block key: blocks go under proxies:, each starting with "- path:"';
    return undefined;
  }
  if (path.length === 1 && TOP_KEYS.has(key)) return 'it is a top-level key (the indentation is probably wrong)';
  return undefined;
}

const isMapValue = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A block whose `upstream` is missing or empty: when upstream's keys stand at the block level
 * instead, say that the indentation is wrong rather than "upstream.type must be s3 or mediastore".
 */
export function upstreamMessage(block: unknown): string | undefined {
  if (!isMapValue(block) || isMapValue(block.upstream)) return undefined;
  const upstreamKeys = BLOCK_SECTIONS[0]![1];
  const stray = Object.keys(block).filter((k) => upstreamKeys.has(k));
  const what = block.upstream === undefined ? 'upstream is missing' : 'upstream: has nothing under it';
  if (stray.length > 0) {
    return `${what}, but ${stray.join(', ')} ${stray.length > 1 ? 'stand' : 'stands'} at the block level: the indentation is probably wrong (indent ${stray.length > 1 ? 'them' : 'it'} under upstream:)`;
  }
  if (block.upstream === undefined) return 'required (upstream: with bucket: and region: under it)';
  if (block.upstream === null) return `${what}: it needs bucket: (and region:) indented under it`;
  return 'upstream must be a map: bucket:, region:, … indented under it';
}
