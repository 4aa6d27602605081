import { blockCacheFindings, cacheStoreFindings } from './checks/cache-sizes.js';
import { corsFindings, siteFindings } from './checks/site-rules.js';
import { listObjectsFindings } from './checks/list-objects.js';
import { mediaStoreFindings } from './checks/mediastore-limits.js';
import { s3FlavourFindings } from './checks/s3-flavours.js';
import { publicKeyFindings, secretHeaderFindings } from './checks/access-rules.js';
import { addressingFindings } from './checks/addressing.js';
import { endpointRegionFindings } from './checks/aws-endpoint.js';
import { regionFindings } from './checks/aws-region.js';
import { namedSetFindings, sourceReferenceFindings, type NamedSets } from './checks/credential-refs.js';
import { includeHeaderFindings } from './checks/include-headers.js';
import { keyScopeFindings } from './checks/key-scope.js';
import { loggedHeaderFindings } from './checks/logged-headers.js';
import { duplicatePrefixFindings, readinessProbeFindings } from './checks/prefixes.js';
import { payloadModeFindings, signingFindings } from './checks/signing-combinations.js';
import { sigV2OnAwsFindings } from './checks/sigv2-on-aws.js';
import { sigV4aFindings } from './checks/sigv4a.js';
import { inlineName, toSpec } from './credential-spec.js';
import { has, parsePartial, type Fields } from './partial.js';
import type { ConfigPath, Finding } from './problems.js';
import type { RawCacheStores } from './cache-schema.js';
import type { RawAccess } from './access-schema.js';
import type { RawProxy } from './block-schema.js';
import type { CredentialSpec } from './types.js';

interface Context {
  readonly named: NamedSets;
  /** The top-level access rules, or `unknown` when they did not parse. */
  readonly defaultAccess: RawAccess | undefined | 'unknown';
  readonly nowMs: number;
  /** The top-level cache stores, or `unknown` when they did not parse. */
  readonly stores: RawCacheStores | undefined | 'unknown';
}

/** Every check that relates one field to another, run on the fields it needs that are valid. */
function blockFindings(b: Fields<RawProxy>, i: number, ctx: Context): Finding[] {
  const at: ConfigPath = ['proxies', i];
  const out: Finding[] = [];
  if (has(b, 'upstream')) out.push(...regionFindings(b.upstream, at), ...endpointRegionFindings(b.upstream, at), ...addressingFindings(b.upstream, at));
  if (has(b, 'upstream') && has(b, 'signing')) out.push(...signingFindings(b.upstream, b.signing, at), ...sigV2OnAwsFindings(b.upstream, b.signing, at), ...sigV4aFindings(b.upstream, b.signing, at));
  if (has(b, 'signing')) out.push(...payloadModeFindings(b.signing, at), ...includeHeaderFindings(b.signing.includeHeaders, at));
  if (has(b, 'credentials')) out.push(...namedSetFindings(b.credentials, ctx.named, at));
  if (has(b, 'access')) out.push(...publicKeyFindings(b.access, [...at, 'access']));
  const access = has(b, 'access') ? (b.access ?? ctx.defaultAccess) : 'unknown';
  if (access !== 'unknown' && has(b, 'signing')) out.push(...secretHeaderFindings(access, b.signing.includeHeaders, at));
  const spec = has(b, 'credentials') ? (typeof b.credentials === 'string' ? ctx.named.get(b.credentials) : toSpec(inlineName(i), b.credentials)) : undefined;
  if (spec && has(b, 'upstream') && has(b, 'signing')) out.push(...keyScopeFindings(spec, b.upstream, b.signing, at, ctx.nowMs));
  if (has(b, 'cache')) out.push(...blockCacheFindings(b.cache, ctx.stores, at));
  if (has(b, 'site')) out.push(...siteFindings(b.site, has(b, 'upstream') ? b.upstream.type : undefined, at));
  if (has(b, 'cors')) out.push(...corsFindings(b.cors, at));
  out.push(...s3FlavourFindings(b, at), ...listObjectsFindings(b, at), ...mediaStoreFindings(b, at));
  return out;
}

/**
 * The cross-field pass over a config as plain data (YAML parsed, `${ENV}` substituted). It runs
 * whether or not the fields are all valid, so one `check` shows every problem at once; a check
 * whose fields are invalid is skipped, since those already have their own message.
 */
export function crossCheck(input: unknown, nowMs: number): Finding[] {
  const partial = parsePartial(input);
  const named = new Map<string, CredentialSpec | undefined>([...partial.named].map(([name, raw]) => [name, raw && toSpec(name, raw)]));
  const paths = partial.blocks.map((b) => (has(b, 'path') ? b.path : undefined));
  const { top } = partial;
  const out: Finding[] = [...duplicatePrefixFindings(paths, partial.blocks.map((b) => (has(b, 'hosts') ? b.hosts : undefined)))];
  if (has(top, 'readiness')) out.push(...readinessProbeFindings(top.readiness.probe, paths));
  if (has(top, 'access')) out.push(...publicKeyFindings(top.access, ['access']));
  if (has(top, 'log')) out.push(...loggedHeaderFindings(top.log.requestHeaders, [has(top, 'access') ? top.access : undefined, ...partial.blocks.map((b) => (has(b, 'access') ? b.access : undefined))]));
  const sets: Array<readonly [CredentialSpec, ConfigPath]> = [...named].flatMap(([name, spec]) => (spec ? [[spec, ['credentials', name]] as const] : []));
  partial.blocks.forEach((b, i) => {
    if (has(b, 'credentials') && typeof b.credentials !== 'string') sets.push([toSpec(inlineName(i), b.credentials), ['proxies', i, 'credentials']]);
  });
  out.push(...sourceReferenceFindings(sets, named));
  if (has(top, 'cache')) out.push(...cacheStoreFindings(top.cache));
  const ctx: Context = { named, defaultAccess: has(top, 'access') ? top.access : 'unknown', nowMs, stores: has(top, 'cache') ? top.cache : 'unknown' };
  partial.blocks.forEach((b, i) => out.push(...blockFindings(b, i, ctx)));
  return out;
}
