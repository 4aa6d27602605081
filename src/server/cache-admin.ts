import { objectBase, prefixBase } from '../cache/cache-key.js';
import type { Shield, ShieldStats } from '../cache/shield.js';
import type { ResolvedConfig } from '../config/types.js';
import { uriEncodePath } from '../signing/uri-encode.js';
import { purgeTarget } from './purge-blocks.js';

/** The admin API's answer: an HTTP status and a JSON body. */
export interface AdminAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A lone UTF-16 surrogate (`"\ud800"` in JSON) has no UTF-8 form, so no key can hold it; encoding it throws. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * `POST /cache/purge` (README "Shield cache"): `{"block": "/live/"}` drops the block's entries,
 * with `"key": "a/b.ts"` one object (every query variant and slice of it), with `"prefix": "a/"`
 * every object under it. Keys are written as viewers write them after the block's path, unencoded.
 * `"host"` picks among blocks sharing the path (purge-blocks.ts); without it each of them is purged
 * and the answer counts them (`"blocks": n`) when there are several.
 */
export async function purge(shield: Shield | undefined, config: ResolvedConfig, body: unknown): Promise<AdminAnswer> {
  if (!shield) return { status: 404, body: { error: 'no cache is configured' } };
  if (!isMap(body) || typeof body.block !== 'string') return { status: 400, body: { error: 'send JSON {"block": "/path/", "key" | "prefix": "…", "host": "…"}' } };
  const { key, prefix, host } = body;
  if (host !== undefined && typeof host !== 'string') return { status: 400, body: { error: 'host is a string' } };
  const target = purgeTarget(config, body.block, host);
  if ('error' in target) return { status: 400, body: { error: target.error } };
  if (key !== undefined && prefix !== undefined) return { status: 400, body: { error: 'give key or prefix, not both' } };
  if ((key !== undefined && typeof key !== 'string') || (prefix !== undefined && typeof prefix !== 'string')) return { status: 400, body: { error: 'key and prefix are strings' } };
  if ([key, prefix].some((v) => typeof v === 'string' && LONE_SURROGATE.test(v))) return { status: 400, body: { error: 'key and prefix must be well-formed Unicode (no lone surrogate such as \\ud800)' } };
  if (key === '') return { status: 400, body: { error: 'key must not be empty' } };
  let purged = 0;
  for (const block of target.blocks) {
    // With workers the primary sends this purge to each of them: none tells the others again.
    if (typeof key === 'string') purged += await shield.invalidate(objectBase(block, `${block.basePath}${uriEncodePath(block.keyPrefix + key)}`), { siblings: false });
    else if (typeof prefix === 'string') purged += await shield.purgePrefix(prefixBase(block, prefix));
    // The whole block: its keys all start with its path and scope (cache-key.ts), not another same-path block's.
    else purged += await shield.purgePrefix(objectBase(block, block.basePath));
  }
  return { status: 200, body: { purged, ...(target.blocks.length > 1 ? { blocks: target.blocks.length } : {}) } };
}

/** `GET /cache/stats`: what each store holds and the fills in progress. */
export function stats(shield: Shield | undefined): AdminAnswer {
  if (!shield) return { status: 404, body: { error: 'no cache is configured' } };
  const s: ShieldStats = shield.stats();
  return { status: 200, body: { ...s } };
}

type Answers = ReadonlyArray<readonly [number | undefined, unknown]>;
const answerOf = (v: unknown): AdminAnswer | undefined => (isMap(v) && typeof v.status === 'number' && isMap(v.body) ? (v as unknown as AdminAnswer) : undefined);

/** Every worker's purge: the sum of what they dropped; a refusal (the same in each worker) as it is. */
export function combinePurges(answers: Answers): AdminAnswer {
  const got = answers.map(([, v]) => answerOf(v));
  const refused = got.find((a) => a !== undefined && a.status !== 200);
  if (refused) return refused;
  const purged = got.reduce((n, a) => n + (typeof a?.body.purged === 'number' ? a.body.purged : 0), 0);
  const missing = got.filter((a) => a === undefined).length;
  // Every worker has the same config, so the same count of blocks purged.
  const blocks = got.find((a) => a?.body.blocks !== undefined)?.body.blocks;
  return { status: missing ? 503 : 200, body: { purged, ...(blocks !== undefined ? { blocks } : {}), ...(missing ? { error: `${missing} worker(s) did not answer; purge again` } : {}) } };
}

/** Every worker's stats, by pid. */
export function combineStats(answers: Answers): AdminAnswer {
  const workers = answers.map(([pid, v]) => ({ pid, ...(answerOf(v)?.body ?? { error: 'no answer' }) }));
  if (workers.length > 0 && workers.every((w) => 'error' in w && w.error === 'no cache is configured')) return { status: 404, body: { error: 'no cache is configured' } };
  return { status: 200, body: { workers } };
}
