import { XMLParser } from 'fast-xml-parser';

/** The fields of an S3 error body (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html) the proxy reads. */
export interface S3ErrorBody {
  readonly code?: string;
  /** Fields a viewer can act on and that carry nothing of ours (see {@link VIEWER_FIELDS}). */
  readonly details?: ReadonlyArray<readonly [string, string]>;
  readonly canonicalRequest?: string;
  readonly stringToSign?: string;
}

// Values stay strings (a Code like "404" must not become a number); entities are decoded once.
const parser = new XMLParser({ parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false });

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads an S3 `<Error>` document; anything else (HTML, JSON, truncated XML) reads as no fields. */
export function readS3Error(body: string): S3ErrorBody {
  let doc: unknown;
  try {
    doc = parser.parse(body);
  } catch {
    return {};
  }
  const e = (doc as { Error?: Record<string, unknown> } | undefined)?.Error;
  if (!e || typeof e !== 'object') return {};
  const code = text(e.Code);
  const canonicalRequest = text(e.CanonicalRequest);
  const stringToSign = text(e.StringToSign);
  const details: Array<[string, string]> = [];
  for (const [name, shape] of VIEWER_FIELDS) {
    const v = text(e[name]);
    if (v !== undefined && shape.test(v)) details.push([name, v]);
  }
  return { ...(code ? { code } : {}), ...(details.length ? { details } : {}), ...(canonicalRequest ? { canonicalRequest } : {}), ...(stringToSign ? { stringToSign } : {}) };
}

/**
 * Of a store's error, besides its Code, only these fields reach the viewer, each when its value
 * has the plain shape S3 gives it: what a 416 or 412 needs to be acted on (S3 ErrorResponses).
 */
const VIEWER_FIELDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['ActualObjectSize', /^\d{1,20}$/],
  ['RangeRequested', /^bytes=[\d,\- ]{1,100}$/],
  ['Condition', /^If-(Match|None-Match|Modified-Since|Unmodified-Since)$/],
];

/** A store's error code is passed on only when it looks like one: letters and digits, short. */
const PLAIN_CODE = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;

/** What S3 says for the codes a viewer meets; anything else gets the line for its status. */
const MESSAGES: Readonly<Record<string, string>> = {
  NoSuchKey: 'The specified key does not exist.',
  NoSuchVersion: 'The specified version does not exist.',
  NoSuchUpload: 'The specified multipart upload does not exist.',
  AccessDenied: 'Access Denied',
  SignatureDoesNotMatch: 'The store did not accept the proxy\'s signature; the proxy\'s log has the detail.',
  InvalidRange: 'The requested range is not satisfiable',
  PreconditionFailed: 'At least one of the preconditions you specified did not hold.',
  SlowDown: 'Please reduce your request rate.',
  InvalidPart: 'One or more of the specified parts could not be found.',
  InvalidPartOrder: 'The list of parts was not in ascending order.',
  EntityTooSmall: 'Your proposed upload is smaller than the minimum allowed object size.',
  EntityTooLarge: 'Your proposed upload exceeds the maximum allowed object size.',
  BadDigest: 'The Content-MD5 or checksum you specified did not match what was received.',
  InvalidDigest: 'The Content-MD5 or checksum you specified is not valid.',
};

const BY_STATUS: Readonly<Record<number, [code: string, message: string]>> = {
  400: ['InvalidRequest', 'The store refused the request.'],
  403: ['AccessDenied', 'Access Denied'],
  404: ['NoSuchKey', 'The specified key does not exist.'],
  405: ['MethodNotAllowed', 'The specified method is not allowed against this resource.'],
  409: ['Conflict', 'The request conflicts with the state of the object.'],
  411: ['MissingContentLength', 'You must provide the Content-Length HTTP header.'],
  412: ['PreconditionFailed', 'At least one of the preconditions you specified did not hold.'],
  416: ['InvalidRange', 'The requested range is not satisfiable'],
  500: ['InternalError', 'The store had an internal error. Please try again.'],
  501: ['NotImplemented', 'The store does not implement this request.'],
  503: ['ServiceUnavailable', 'The store is unavailable. Please try again.'],
};

/** The code and message a viewer is told for a store's error: the store's code when it is a plain one, S3's wording, never the store's Message. */
export function viewerErrorFor(status: number, storeCode: string | undefined): { code: string; message: string } {
  const fallback = BY_STATUS[status] ?? (status >= 500 ? ['InternalError', 'The store had an error. Please try again.'] : ['InvalidRequest', 'The store refused the request.']);
  if (!storeCode || !PLAIN_CODE.test(storeCode)) return { code: fallback[0], message: fallback[1] };
  return { code: storeCode, message: MESSAGES[storeCode] ?? fallback[1] };
}

/** Text for an XML element: markup characters as character references. */
export const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The short S3-shaped error body a viewer gets in place of the store's (which can hold our canonical request). */
export function viewerErrorXml(code: string, message: string, requestId: string, details: ReadonlyArray<readonly [string, string]> = []): string {
  const extra = details.map(([name, v]) => `<${name}>${escapeXml(v)}</${name}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>${escapeXml(requestId)}</RequestId></Error>`;
}

/**
 * Secrets that appear in canonical requests (header or query): session tokens and SSE-C's
 * customer key (its MD5 is no secret). They never reach a log line.
 */
const SECRET_HEADER = /(x-amz-(?:security-token|s3session-token|(?:copy-source-)?server-side-encryption-customer-key):)[^\n]*/gi;
const SECRET_PARAM = /(X-Amz-(?:Security-Token|S3session-Token|(?:Copy-Source-)?Server-Side-Encryption-Customer-Key)=)[^&\n]*/gi;

export function redactTokens(text: string | undefined): string | undefined {
  return text?.replace(SECRET_HEADER, '$1[redacted]').replace(SECRET_PARAM, '$1[redacted]');
}
