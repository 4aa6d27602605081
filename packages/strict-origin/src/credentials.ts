/** The caller's credentials: a known access key id, and the session token that goes with it. */
import { headerJoined } from './headers.js';
import { queryGet, type QueryParam } from './query.js';
import { invalidAccessKeyId, invalidToken } from './s3-errors.js';
import { safeEqual } from './sha256.js';
import type { CredentialLookup, OriginCredential, SignableRequest } from './types.js';

export function lookupCredential(lookup: CredentialLookup, accessKeyId: string): OriginCredential {
  const cred = lookup(accessKeyId);
  if (!cred) throw invalidAccessKeyId(accessKeyId);
  return cred;
}

/** Session-token rules shared by every auth mode (S3 answers InvalidToken). */
export function checkSessionToken(cred: OriginCredential, sent: string | undefined): void {
  if (cred.sessionToken === undefined || cred.sessionToken === '') {
    if (sent !== undefined) throw invalidToken();
    return;
  }
  if (sent === undefined || !safeEqual(sent, cred.sessionToken)) throw invalidToken();
}

/**
 * A presigned URL's token: X-Amz-Security-Token or the header, not both. Returns the query's
 * token, which is part of what the SigV4 presigner signs.
 */
export function checkPresignedSessionToken(cred: OriginCredential, params: readonly QueryParam[], req: SignableRequest): string | undefined {
  const queryToken = queryGet(params, 'X-Amz-Security-Token');
  const headerToken = headerJoined(req.headers, 'x-amz-security-token');
  if (queryToken !== undefined && headerToken !== undefined) throw invalidToken();
  checkSessionToken(cred, queryToken ?? headerToken);
  return queryToken;
}
