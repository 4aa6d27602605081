/** The caller's credentials: a known access key id, and the session token that goes with it. */
import { invalidAccessKeyId, invalidToken } from './s3-errors.js';
import { safeEqual } from './sha256.js';
import type { CredentialLookup, OriginCredential } from './types.js';

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
