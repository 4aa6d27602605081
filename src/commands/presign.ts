import { loadConfigFile } from '../config/load.js';
import { CredentialRegistry } from '../credentials/providers.js';
import type { Logger } from '../log/logger.js';
import { decodeObjectKey } from '../proxy/object-key.js';
import { createRouter, shadowingBlock } from '../proxy/router.js';
import { toAmzDate } from '../signing/amz-date.js';
import { EMPTY_SHA256 } from '../signing/hash.js';
import { staleScopeReason } from '../signing/stale-scope.js';
import { UNSIGNED_PAYLOAD } from '../signing/types.js';
import { uriEncodePath } from '../signing/uri-encode.js';
import { presignV2 } from '../signing/v2/sign.js';
import { presignV4 } from '../signing/v4/presign.js';
import { presignV4a } from '../signing/v4a/presign.js';
import { CliError } from './cli-error.js';
import { expiryEpoch } from './expires.js';

/** S3 refuses a presigned URL valid for longer than seven days. */
const MAX_EXPIRES = 604800;

export interface PresignArgs {
  readonly config: string;
  readonly path: string;
  /** Seconds from now (`--expires`), or a time (`--expires-at`); neither: an hour. */
  readonly expires?: string;
  readonly expiresAt?: string;
  readonly method: string;
  readonly now: () => number;
  readonly log: Logger;
  /** A warning for the user (the URL is still printed); default: a line on stderr. */
  readonly warn?: (message: string) => void;
}

const warnOnStderr = (message: string): void => void process.stderr.write(`origin-signer: presign: warning: ${message}\n`);

/** How long the URL is valid, in seconds, from either flag. */
function lifetime(a: PresignArgs, nowMs: number): number {
  const at = expiryEpoch(a.expires, a.expiresAt, nowMs);
  const seconds = at === undefined ? 3600 : at - Math.floor(nowMs / 1000);
  if (seconds < 1 || seconds > MAX_EXPIRES) {
    throw new CliError(a.expiresAt !== undefined ? `--expires-at must be 1 s to 7 days from now (S3's limit), got ${a.expiresAt}` : '--expires must be 1 to 604800 seconds (S3 allows at most 7 days)');
  }
  return seconds;
}

/**
 * `origin-signer presign`: a presigned URL straight to the block's bucket (SigV4 or SigV4A query,
 * or SigV2 for a v2 block), with the block's credentials — for handing out a direct link deliberately. Only
 * for a method the block allows: a direct link must not grant what the proxy would refuse.
 */
export async function presignCommand(a: PresignArgs): Promise<string> {
  const now = a.now();
  const expires = lifetime(a, now);
  const { config } = loadConfigFile(a.config, { now: a.now });
  const router = createRouter(config.proxies);
  const route = router(a.path);
  if (!route) throw new CliError(`no proxy block serves ${a.path}`);
  // What the proxy refuses as OS_ERR_ENCODED_PREFIX (forward.ts): signed for the outer block, the
  // key would reach the nested block's objects past its methods and access rules.
  const nested = shadowingBlock(router, route);
  if (nested) throw new CliError(`${a.path}: the path, percent-decoded, is under ${nested.path}, which serves it: presign it without percent-encoding in that prefix`);
  const block = route.block;
  if (!block.methods.includes(a.method)) throw new CliError(`the block ${block.path} does not allow ${a.method} (its methods: ${block.methods.join(', ')})`);
  // A directory bucket takes only session-signed requests; a session lives 5 minutes, so a link signed with one would not outlive it.
  if (block.signing.service === 's3express') throw new CliError(`${block.bucket} is a directory bucket (S3 Express One Zone): it takes only requests signed with a 5-minute session; serve it through the proxy, or with signing.mode: redirect`);
  // A generic service's presigned URL signs the body's hash, and a URL is made before its body exists.
  if (block.signing.service === 'mediastore' && a.method === 'PUT') throw new CliError('a presigned MediaStore PUT would sign an empty body, so the store would refuse any upload through it: upload through the proxy');
  const key = decodeObjectKey(route.rest, block.keyPrefix);
  if ('error' in key) throw new CliError(`${a.path}: ${key.detail}`);
  const registry = new CredentialRegistry({ log: a.log, clock: a.now });
  try {
    const { providers, fresh } = registry.prepare(config);
    await Promise.all(fresh.map((p) => p.start()));
    const credentials = await providers.get(block.credentials.name)!.get();
    const { signing } = block;
    // The proxy refuses to sign with a key for another day (refuseStaleScope): so does presign.
    const stale = signing.version === 'v4' ? staleScopeReason(credentials, toAmzDate(now)) : undefined;
    if (stale !== undefined) throw new CliError(`credentials "${block.credentials.name}": ${stale}`);
    if (credentials.expiration && credentials.expiration.getTime() < now + expires * 1000) {
      const left = Math.max(0, Math.floor((credentials.expiration.getTime() - now) / 1000));
      (a.warn ?? warnOnStderr)(`the URL is valid for ${expires} s, but the credentials that sign it expire in ${left} s (${credentials.expiration.toISOString()}): S3 refuses it from then on`);
    }
    const path = `${block.basePath}${uriEncodePath(key.key)}`;
    const req = { method: a.method, path, query: '', headers: [['host', block.host]] as const };
    const query =
      signing.version === 'v4'
        ? presignV4(req, credentials, { region: block.region ?? '', service: signing.service, uriRule: signing.uriRule }, {
            amzDate: toAmzDate(now),
            expires,
            payloadHash: signing.service !== 'mediastore' ? UNSIGNED_PAYLOAD : EMPTY_SHA256,
          }).query
        : signing.version === 'v4a'
          ? presignV4a(req, credentials, { regionSet: signing.regionSet ?? '*', service: signing.service, uriRule: signing.uriRule }, { amzDate: toAmzDate(now), expires, payloadHash: UNSIGNED_PAYLOAD }).query
          : presignV2(req, credentials, { bucket: block.v2Bucket, expiresEpoch: Math.floor(now / 1000) + expires }).query;
    return `${block.urlOrigin}${path}?${query}\n`;
  } finally {
    registry.close();
  }
}
