import type { RawAccess } from '../access-schema.js';
import { error, type Finding } from '../problems.js';

/** Headers that carry credentials in any request: logging them would put secrets in the log. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-amz-security-token', 'x-amz-s3session-token']);

/**
 * `log.requestHeaders` never names a credential: the standard ones, nor any block's (or the
 * default) `access.requireHeader` secret. The access log has no redaction to fall back on.
 */
export function loggedHeaderFindings(names: readonly string[], accesses: ReadonlyArray<RawAccess | undefined>): Finding[] {
  const secrets = new Set(accesses.flatMap((a) => (a?.requireHeader?.name ? [a.requireHeader.name] : [])));
  const out: Finding[] = [];
  names.forEach((name, i) => {
    if (CREDENTIAL_HEADERS.has(name)) out.push(error(['log', 'requestHeaders', i], `${name} carries credentials and is never logged; remove it from log.requestHeaders`));
    else if (secrets.has(name)) out.push(error(['log', 'requestHeaders', i], `${name} is an access.requireHeader secret and is never logged; remove it from log.requestHeaders`));
  });
  return out;
}
