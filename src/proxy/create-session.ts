import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import type { CredentialProvider } from '../credentials/provider.js';
import { parseCreateSession, S3ExpressSessionProvider } from '../credentials/s3express-session.js';
import { dispatchTarget, type TargetedDispatchOptions } from '../http/upstream-target.js';
import { signInterceptor } from '../interceptors/sign.js';
import type { SigningKeyCache } from '../signing/v4/signing-key.js';
import { readS3Error } from './s3-error.js';

export interface SessionDeps {
  /** The block's connection pool (the directory bucket's zonal endpoint). */
  readonly pool: Dispatcher;
  /** The block's own credentials: CreateSession is signed with them. */
  readonly base: CredentialProvider;
  readonly clock: () => number;
  readonly keyCache: SigningKeyCache;
}

/**
 * The session credentials of a directory bucket block (S3 Express One Zone): `GET /?session` on the
 * bucket, signed with the block's credentials for the service `s3express` (header auth whatever
 * the block's mode), `x-amz-create-session-mode` ReadOnly for a block that only reads.
 */
export function s3ExpressSessions(block: ResolvedBlock, d: SessionDeps): S3ExpressSessionProvider {
  const mode = block.s3Express?.sessionMode ?? 'ReadWrite';
  const signed = d.pool.compose(
    signInterceptor({ signing: { ...block.signing, mode: 'header', payload: 'unsigned' }, region: block.region, v2Bucket: undefined, credentials: d.base, clock: d.clock, keyCache: d.keyCache }),
  );
  const createSession = async (): Promise<ReturnType<typeof parseCreateSession>> => {
    const opts: TargetedDispatchOptions = { origin: block.origin, method: 'GET', ...dispatchTarget({ path: block.basePath, query: 'session' }), headers: { host: block.host, 'x-amz-create-session-mode': mode } };
    const res = await signed.request(opts);
    const body = await res.body.text();
    if (res.statusCode !== 200) {
      const code = readS3Error(body).code;
      throw new Error(`CreateSession answered ${res.statusCode}${code ? ` ${code}` : ''}`);
    }
    return parseCreateSession(body);
  };
  return new S3ExpressSessionProvider({ bucket: block.bucket ?? '', baseName: d.base.name, createSession, clock: d.clock });
}
