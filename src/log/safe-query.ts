/**
 * Query parameters that carry credentials or signatures: presigned SigV4/SigV2 parameters,
 * CloudFront signed-URL parameters, session tokens. They never go into a log line.
 */
const SECRET_PARAMS = /^(x-amz-(signature|credential|security-token|s3session-token)|signature|awsaccesskeyid|policy|key-pair-id|x-amz-date|x-amz-signedheaders|x-amz-algorithm|x-amz-expires|expires)$/i;

/** The viewer's query for the access log, with secret-bearing parameters removed. */
export function safeQuery(rawQuery: string): string | undefined {
  if (rawQuery === '') return undefined;
  const kept = rawQuery.split('&').filter((part) => {
    const name = part.slice(0, part.indexOf('=') === -1 ? part.length : part.indexOf('='));
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name for the check
    }
    return part !== '' && !SECRET_PARAMS.test(decoded);
  });
  return kept.length ? kept.join('&') : undefined;
}
