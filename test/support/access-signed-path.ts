// A canned-policy signed URL made with the project's own signer (src/access/sign.ts, checked
// against the published vectors by the unit tests) and the RSA 2048 test key. Kept apart from
// access-fixtures.ts, which stays independent of src/access.
import { signCloudFront, signedUrl } from '../../src/access/sign.js';
import { RSA2048, nowSec, pathAndQuery, privateKeyOf } from './access-fixtures.js';

/** Path and query of `url` signed with the RSA 2048 key, valid until `expires` (an hour by default). */
export function rsa2048SignedPath(url: string, expires = nowSec() + 3600): string {
  return pathAndQuery(signedUrl(url, signCloudFront({ url, keyPairId: RSA2048.id, privateKey: privateKeyOf(RSA2048.priv), expires })));
}
