/**
 * S3 Express One Zone directory buckets (`<base>--<az-id>--x-s3`), as S3 treats them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateSession.html,
 * .../userguide/s3-express-create-session.html):
 *  - CreateSession (`GET /?session` on the bucket, SigV4 for the service `s3express` with the
 *    caller's own credentials) issues session credentials that last five minutes, ReadWrite or
 *    ReadOnly (`x-amz-create-session-mode`);
 *  - every other request to the bucket is SigV4 for `s3express` with a session's credentials and
 *    its token in `x-amz-s3session-token` (or `X-Amz-S3session-Token` presigned), signed; a request
 *    signed with the caller's own keys, a wrong token, another bucket's session, an expired one
 *    (ExpiredToken) or a write in a ReadOnly session is refused. SigV2 is refused.
 */
import { randomBytes } from 'node:crypto';
import { isoSeconds } from './dates.js';
import type { Exchange } from './exchange.js';
import { header, headerJoined } from './headers.js';
import { queryGet, type QueryParam } from './query.js';
import { S3Error, accessDenied, invalidArgument, invalidToken, xmlEscape } from './s3-errors.js';
import { safeEqual } from './sha256.js';
import type { HeaderList } from './headers.js';

export const isDirectoryBucket = (bucket: string | undefined): boolean => bucket !== undefined && /^[a-z0-9][a-z0-9-]*--[a-z0-9-]+--x-s3$/.test(bucket);

/** How long a session lasts (S3: five minutes). */
export const SESSION_TTL_MS = 5 * 60 * 1000;

export interface S3ExpressSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  bucket: string;
  mode: 'ReadOnly' | 'ReadWrite';
  /** The access key id CreateSession was signed with. */
  issuedTo: string;
  /** When it was issued and when it expires, ms since the epoch (the origin's clock). */
  issuedAt: number;
  expiration: number;
}

/** The sessions this origin issued. */
export class SessionBook {
  readonly all: S3ExpressSession[] = [];
  readonly #byKey = new Map<string, S3ExpressSession>();

  issue(bucket: string, mode: S3ExpressSession['mode'], issuedTo: string, now: number, ttlMs: number): S3ExpressSession {
    const s: S3ExpressSession = {
      accessKeyId: `ASIAEXPRESS${randomBytes(6).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `s3session/${randomBytes(48).toString('base64')}`,
      bucket,
      mode,
      issuedTo,
      issuedAt: now,
      expiration: now + ttlMs,
    };
    this.all.push(s);
    this.#byKey.set(s.accessKeyId, s);
    return s;
  }

  get(accessKeyId: string | undefined): S3ExpressSession | undefined {
    return accessKeyId === undefined ? undefined : this.#byKey.get(accessKeyId);
  }
}

/** CreateSession: issues a session of the mode asked for (ReadWrite by default). */
export async function createSession(x: Exchange, book: SessionBook, bucket: string, issuedTo: string, now: number, ttlMs: number): Promise<void> {
  if (x.method !== 'GET') throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [['Method', x.method], ['ResourceType', 'BUCKET']]);
  await x.drainBody();
  const asked = header(x.headers, 'x-amz-create-session-mode') ?? 'ReadWrite';
  if (asked !== 'ReadOnly' && asked !== 'ReadWrite') throw invalidArgument('Invalid session mode', 'x-amz-create-session-mode', asked);
  const s = book.issue(bucket, asked, issuedTo, now, ttlMs);
  x.sendXml(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials>` +
      `<SessionToken>${xmlEscape(s.sessionToken)}</SessionToken><SecretAccessKey>${xmlEscape(s.secretAccessKey)}</SecretAccessKey>` +
      `<AccessKeyId>${s.accessKeyId}</AccessKeyId><Expiration>${isoSeconds(s.expiration)}</Expiration></Credentials></CreateSessionResult>`,
  );
}

/** After the signature verified with `session`'s secret: the token, the bucket, the expiry and the mode. */
export function checkSession(session: S3ExpressSession, req: { method: string; headers: HeaderList; params: readonly QueryParam[] }, bucket: string, now: number): void {
  if (headerJoined(req.headers, 'x-amz-security-token') !== undefined || queryGet(req.params, 'X-Amz-Security-Token') !== undefined) throw invalidToken();
  const sent = headerJoined(req.headers, 'x-amz-s3session-token') ?? queryGet(req.params, 'X-Amz-S3session-Token');
  if (sent === undefined || !safeEqual(sent, session.sessionToken)) throw invalidToken();
  if (session.bucket !== bucket) throw accessDenied('The session was created for another bucket');
  if (now >= session.expiration) throw new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
  if (session.mode === 'ReadOnly' && !['GET', 'HEAD'].includes(req.method)) throw accessDenied('The session is ReadOnly');
}
