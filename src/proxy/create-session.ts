import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import type { CredentialProvider } from '../credentials/provider.js';
import { parseCreateSession, S3ExpressSessionProvider } from '../credentials/s3express-session.js';
import { readBounded } from '../http/bounded-body.js';
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
  /** How long one CreateSession may take, answer read in full (default CREATE_SESSION_DEADLINE_MS). */
  readonly deadlineMs?: number;
}

/** A CreateSession answer is about a kilobyte: one larger than this is refused, not buffered. */
export const CREATE_SESSION_MAX_BYTES = 64 * 1024;
/**
 * A whole CreateSession, answer included. The pool's timeouts are idle timeouts: a store that
 * drips its answer would hold the session's single flight, and every request waiting on it, forever.
 */
export const CREATE_SESSION_DEADLINE_MS = 10_000;

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
    const deadlineMs = d.deadlineMs ?? CREATE_SESSION_DEADLINE_MS;
    const signal = AbortSignal.timeout(deadlineMs);
    let body = '';
    try {
      const res = await signed.request({ ...opts, signal });
      const tooLarge = (): Error => new Error(`CreateSession answered more than ${CREATE_SESSION_MAX_BYTES} bytes`);
      body = (await readBounded(res.body as AsyncIterable<Buffer>, CREATE_SESSION_MAX_BYTES, tooLarge)).toString('utf8');
      if (res.statusCode !== 200) {
        const code = readS3Error(body).code;
        throw new Error(`CreateSession answered ${res.statusCode}${code ? ` ${code}` : ''}`);
      }
    } catch (err) {
      if (signal.aborted) throw new Error(`CreateSession did not finish within ${deadlineMs} ms`);
      throw err;
    }
    return parseCreateSession(body);
  };
  return new S3ExpressSessionProvider({ bucket: block.bucket ?? '', baseName: d.base.name, createSession, clock: d.clock });
}
