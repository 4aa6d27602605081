/**
 * S3's REST error responses.
 *
 * Every error the strict origin returns is an `S3Error`, rendered as S3 renders
 * them (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId><HostId>…</HostId></Error>
 *
 * Extra elements (`fields`) carry the diagnostics S3 adds for some codes, e.g.
 * `<StringToSign>` and `<CanonicalRequest>` on SignatureDoesNotMatch, which is
 * what people read when debugging a signer.
 */
import { isoSeconds } from './dates.js';

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra child elements of <Error>, in order. */
    readonly fields: ReadonlyArray<readonly [string, string]> = [],
    /** Extra response headers (e.g. Content-Range on 416). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }

  field(name: string): string | undefined {
    return this.fields.find(([n]) => n === name)?.[1];
  }
}

/** XML 1.0 character escaping for text content (and attribute values). */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return '&#13;';
    }
  });
}

export function errorXml(err: S3Error, requestId: string, hostId: string): string {
  const extra = err.fields.map(([n, v]) => `<${n}>${xmlEscape(v)}</${n}>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message>` +
    `${extra}<RequestId>${xmlEscape(requestId)}</RequestId><HostId>${xmlEscape(hostId)}</HostId></Error>`
  );
}

/** S3's own "bytes" diagnostics: each UTF-8 byte as two hex digits, space separated. */
export function hexBytes(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

// ---- the errors used in more than one place -------------------------------

export const accessDenied = (message = 'Access Denied', fields: Array<[string, string]> = []): S3Error =>
  new S3Error(403, 'AccessDenied', message, fields);

export const invalidUri = (): S3Error => new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");

export const invalidArgument = (message: string, name?: string, value?: string): S3Error => {
  const fields: Array<[string, string]> = [];
  if (name !== undefined) fields.push(['ArgumentName', name]);
  if (value !== undefined) fields.push(['ArgumentValue', value]);
  return new S3Error(400, 'InvalidArgument', message, fields);
};

export const noSuchBucket = (bucket: string): S3Error => new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);

export const notImplemented = (what = 'A header you provided implies functionality that is not implemented'): S3Error =>
  new S3Error(501, 'NotImplemented', what);

/** S3's SignatureDoesNotMatch with the diagnostics its body carries (which depend on the signature version). */
export const signatureMismatch = (fields: Array<[string, string]>): S3Error =>
  new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', fields);

export const incompleteBody = (message = 'The request body terminated unexpectedly'): S3Error =>
  new S3Error(400, 'IncompleteBody', message);

export const missingContentLength = (): S3Error =>
  new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');

export const invalidToken = (): S3Error =>
  new S3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');

export const invalidAccessKeyId = (akid: string): S3Error =>
  new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [
    ['AWSAccessKeyId', akid],
  ]);

export const requestTimeTooSkewed = (requestTime: string, serverTimeMs: number, maxSkewMs: number): S3Error =>
  new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', [
    ['RequestTime', requestTime],
    ['ServerTime', isoSeconds(serverTimeMs)],
    ['MaxAllowedSkewMilliseconds', String(maxSkewMs)],
  ]);
