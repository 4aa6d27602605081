import { tmpdir } from 'node:os';
import type { Credentials } from '../signing/types.js';
import type { ConfigPath, ConfigProblem } from './problems.js';
import type { RawAccess, RawConfig, RawCredentials, RawProxy } from './schema.js';
import type { KeyObject } from 'node:crypto';
import { loadPublicKey } from '../access/keys.js';
import type { BlockAccess, BlockSigning, CredentialSpec, ResolvedBlock, ResolvedConfig } from './types.js';

const isAwsHost = (host: string): boolean => /(^|\.)amazonaws\.com(\.cn)?$/.test(host);

function toSpec(name: string, raw: RawCredentials): CredentialSpec {
  if ('source' in raw) return { name, kind: 'source', source: raw };
  const token = raw.sessionToken ? { sessionToken: raw.sessionToken } : {};
  const credentials: Credentials =
    'secretAccessKey' in raw
      ? { accessKeyId: raw.accessKeyId, secretAccessKey: raw.secretAccessKey, ...token }
      : { accessKeyId: raw.accessKeyId, signingKey: Buffer.from(raw.signingKey, 'base64'), keyScope: raw.keyScope, ...token };
  return { name, kind: 'static', credentials };
}

/** assume-role sets name their source set: it must exist and the references must not loop. */
function checkSourceReferences(specs: ReadonlyArray<readonly [CredentialSpec, ConfigPath]>, named: Record<string, CredentialSpec>, problems: ConfigProblem[]): void {
  for (const [spec, path] of specs) {
    if (spec.kind !== 'source' || spec.source.source !== 'assume-role') continue;
    const seen = new Set([spec.name]);
    let next: string | undefined = spec.source.sourceCredentials;
    while (next !== undefined) {
      const target: CredentialSpec | undefined = named[next];
      if (!target) {
        problems.push({ path: [...path, 'sourceCredentials'], message: `no credential set named "${next}" under credentials:` });
        break;
      }
      if (seen.has(next)) {
        problems.push({ path: [...path, 'sourceCredentials'], message: `assume-role sources loop: ${[...seen, next].join(' → ')}` });
        break;
      }
      seen.add(next);
      next = target.kind === 'source' && target.source.source === 'assume-role' ? target.source.sourceCredentials : undefined;
    }
  }
}

function todayStamp(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '');
}

interface Context {
  defaultAccess?: BlockAccess | undefined;
  readonly problems: ConfigProblem[];
  readonly warnings: string[];
  readonly named: Record<string, CredentialSpec>;
  readonly nowMs: number;
}

function resolveCredentials(p: RawProxy, i: number, ctx: Context): CredentialSpec | undefined {
  if (typeof p.credentials === 'string') {
    const spec = ctx.named[p.credentials];
    if (!spec) {
      const known = Object.keys(ctx.named);
      ctx.problems.push({
        path: ['proxies', i, 'credentials'],
        message: `no credential set named "${p.credentials}" under credentials:${known.length ? ` (known: ${known.join(', ')})` : ' (none defined)'}`,
      });
    }
    return spec;
  }
  return toSpec(`proxies[${i}] (inline)`, p.credentials);
}

/** Loads the signed-URL public keys: a key that cannot be read is a config problem at its path. */
function resolveAccess(raw: RawAccess | undefined, path: ConfigPath, ctx: Context): BlockAccess | undefined {
  if (!raw) return undefined;
  let signedUrls: BlockAccess['signedUrls'];
  if (raw.signedUrls) {
    const keys = new Map<string, KeyObject>();
    for (const [id, value] of Object.entries(raw.signedUrls.keys)) {
      try {
        keys.set(id, loadPublicKey(value));
      } catch (err) {
        ctx.problems.push({ path: [...path, 'signedUrls', 'keys', id], message: `cannot use this public key: ${(err as Error).message}` });
      }
    }
    signedUrls = { keys, cookies: raw.signedUrls.cookies, ...(raw.signedUrls.baseUrl ? { baseUrl: new URL(raw.signedUrls.baseUrl).origin } : {}) };
  }
  return {
    ...(raw.requireHeader ? { requireHeader: raw.requireHeader } : {}),
    ...(raw.allowIps ? { allowIps: raw.allowIps } : {}),
    ...(signedUrls ? { signedUrls } : {}),
  };
}

function resolveBlock(p: RawProxy, i: number, ctx: Context): ResolvedBlock | undefined {
  const at = (...rest: Array<string | number>) => ['proxies', i, ...rest];
  const problemsBefore = ctx.problems.length;
  const up = p.upstream;
  const region = up.region;
  const version = p.signing.version ?? (region ? 'v4' : 'v2');
  if (version === 'v4' && !region) ctx.problems.push({ path: at('upstream', 'region'), message: 'SigV4 needs a region: set upstream.region (or signing.version: v2)' });
  if (up.type === 'mediastore' && version === 'v2') ctx.problems.push({ path: at('signing', 'version'), message: 'MediaStore accepts SigV4 only' });
  if (p.signing.payload !== 'unsigned' && p.signing.mode === 'query') {
    ctx.problems.push({ path: at('signing', 'payload'), message: `payload: ${p.signing.payload} needs mode: header (presigned requests carry UNSIGNED-PAYLOAD)` });
  }
  if (p.signing.payload === 'streaming' && up.type === 'mediastore') {
    ctx.problems.push({ path: at('signing', 'payload'), message: 'MediaStore does not take aws-chunked uploads: use payload: unsigned or sha256' });
  }
  if (version === 'v2' && p.signing.payload !== 'unsigned') {
    ctx.problems.push({ path: at('signing', 'payload'), message: 'SigV2 does not sign payloads: use payload: unsigned with SigV2' });
  }

  const endpointUrl = new URL(up.endpoint ?? (region ? `https://s3.${region}.amazonaws.com` : 'https://s3.amazonaws.com'));
  const bucket = up.type === 's3' ? up.bucket : undefined;
  const addressing = up.type === 's3' ? (up.addressing ?? (isAwsHost(endpointUrl.hostname) && !up.bucket.includes('.') ? 'virtual' : 'path')) : 'path';
  if (up.type === 's3' && addressing === 'virtual' && /^\d+\.\d+\.\d+\.\d+$|^\[/.test(endpointUrl.hostname)) {
    ctx.problems.push({ path: at('upstream', 'addressing'), message: 'virtual-hosted addressing needs a host name endpoint, not an IP address: use addressing: path' });
  }
  const endpointHost = endpointUrl.host; // includes a non-default port
  const host = up.type === 's3' && addressing === 'virtual' ? `${up.bucket}.${endpointHost}` : endpointHost;

  const credentials = resolveCredentials(p, i, ctx);
  const access = p.access ? resolveAccess(p.access, at('access'), ctx) : ctx.defaultAccess;
  const secretHeader = access?.requireHeader?.name;
  if (secretHeader && p.signing.includeHeaders.includes(secretHeader)) {
    ctx.problems.push({ path: at('signing', 'includeHeaders'), message: `${secretHeader} is the access.requireHeader secret: it is never forwarded` });
  }
  if (credentials?.kind === 'static' && credentials.credentials.keyScope) {
    const [date, scopeRegion, service] = credentials.credentials.keyScope.split('/');
    const wantService = up.type === 'mediastore' ? 'mediastore' : 's3';
    if (version === 'v2') ctx.problems.push({ path: at('credentials'), message: 'a pre-derived signingKey signs SigV4 only; SigV2 needs secretAccessKey' });
    if (scopeRegion !== region || service !== wantService) {
      ctx.problems.push({
        path: at('credentials'),
        message: `keyScope ${credentials.credentials.keyScope} is for ${scopeRegion}/${service}, but this block signs for ${region ?? '(no region)'}/${wantService}`,
      });
    }
    if (date !== todayStamp(ctx.nowMs)) {
      ctx.warnings.push(`proxies[${i}] (${p.path}): credentials "${credentials.name}" use a pre-derived key for ${date}; such a key only signs requests dated ${date} (today is ${todayStamp(ctx.nowMs)}), so the upstream will refuse them`);
    }
  }
  if (ctx.problems.length > problemsBefore || !credentials) return undefined;

  const signing: BlockSigning = {
    version,
    mode: p.signing.mode,
    payload: p.signing.payload,
    expires: p.signing.expires,
    includeHeaders: p.signing.includeHeaders,
    excludeHeaders: p.signing.excludeHeaders,
    service: up.type === 'mediastore' ? 'mediastore' : 's3',
    uriRule: up.type === 'mediastore' ? 'generic' : 's3',
  };
  return {
    index: i,
    path: p.path,
    type: up.type,
    bucket,
    region,
    endpoint: endpointUrl.origin,
    addressing,
    keyPrefix: up.keyPrefix,
    origin: `${endpointUrl.protocol}//${host}`,
    host,
    basePath: up.type === 's3' && addressing === 'path' ? `/${up.bucket}/` : '/',
    v2Bucket: up.type === 's3' && addressing === 'virtual' ? up.bucket : undefined,
    credentials,
    signing,
    pool: {
      connections: p.pool.connections,
      connectTimeoutMs: Math.round(p.pool.connectTimeout * 1000),
      headersTimeoutMs: Math.round(p.pool.headersTimeout * 1000),
      bodyTimeoutMs: Math.round(p.pool.bodyTimeout * 1000),
      keepAliveTimeoutMs: Math.round(p.pool.keepAliveTimeout * 1000),
      queueTimeoutMs: Math.round(p.pool.queueTimeout * 1000),
    },
    spool: { maxBytes: p.spool.maxSize, dir: p.spool.dir ?? tmpdir() },
    responseHeaders: { remove: new Set(p.responseHeaders.remove), set: p.responseHeaders.set, default: p.responseHeaders.default },
    notFoundFor403: p.notFoundFor403,
    access,
    retry: { attempts: p.retry.attempts, baseDelayMs: p.retry.baseDelay * 1000, maxDelayMs: p.retry.maxDelay * 1000 },
    methods: [...new Set(p.methods)],
  };
}

/** Defaults that depend on other fields, cross-field checks, then one immutable config. */
export function resolveConfig(raw: RawConfig, nowMs: number): { config?: ResolvedConfig; problems: ConfigProblem[]; warnings: string[] } {
  const ctx: Context = { problems: [], warnings: [], named: {}, nowMs };
  for (const [name, c] of Object.entries(raw.credentials)) ctx.named[name] = toSpec(name, c);


  ctx.defaultAccess = resolveAccess(raw.access, ['access'], ctx);
  const seen = new Map<string, number>();
  raw.proxies.forEach((p, i) => {
    const first = seen.get(p.path);
    if (first !== undefined) ctx.problems.push({ path: ['proxies', i, 'path'], message: `duplicate prefix ${p.path} (also proxies[${first}].path)` });
    else seen.set(p.path, i);
  });
  const proxies = raw.proxies.map((p, i) => resolveBlock(p, i, ctx));
  if (raw.readiness.probe !== undefined && !raw.proxies.some((p) => raw.readiness.probe!.startsWith(p.path))) {
    ctx.problems.push({ path: ['readiness', 'probe'], message: `no proxy block serves ${raw.readiness.probe}` });
  }
  checkSourceReferences(
    [
      ...Object.values(ctx.named).map((s) => [s, ['credentials', s.name]] as const),
      ...raw.proxies.flatMap((p, i) => (typeof p.credentials === 'string' ? [] : [[toSpec(`proxies[${i}] (inline)`, p.credentials), ['proxies', i, 'credentials']] as const])),
    ],
    ctx.named,
    ctx.problems,
  );
  if (ctx.problems.length > 0) return { problems: ctx.problems, warnings: ctx.warnings };
  const config: ResolvedConfig = {
    server: raw.server,
    log: raw.log,
    readiness: raw.readiness,
    credentials: ctx.named,
    proxies: proxies as ResolvedBlock[],
  };
  return { config: deepFreeze(config), problems: [], warnings: ctx.warnings };
}

function deepFreeze<T>(value: T): T {
  // Plain data only: Buffers, Sets, Maps and KeyObjects keep their own behaviour.
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
