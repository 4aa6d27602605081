/**
 * The one list of errors origin-signer reports, like fastify's FST_ERR_* codes. Request errors
 * carry the HTTP status the viewer gets; start-up errors have `status: null` (the process exits
 * non-zero instead). README.md has the same table with a "how to fix" column, and
 * test/unit/errors-readme.test.ts keeps the two in step.
 */
export interface ErrorSpec {
  readonly status: number | null;
  readonly message: string;
}

export const ERRORS = {
  // Routing and viewer checks
  OS_ERR_NO_ROUTE: { status: 404, message: 'no proxy block serves this path' },
  OS_ERR_ENCODED_PREFIX: { status: 400, message: "the path, percent-decoded, names a nested block's prefix" },
  OS_ERR_METHOD_NOT_ALLOWED: { status: 405, message: 'method not allowed for this block' },
  OS_ERR_ACCESS_DENIED: { status: 403, message: "the viewer did not pass the block's access rules" },
  // Object key: what a key must pass before it can reach a bucket
  OS_ERR_KEY_EMPTY: { status: 400, message: 'no object key after the block prefix' },
  OS_ERR_KEY_BAD_ENCODING: { status: 400, message: 'invalid percent-encoding in the path' },
  OS_ERR_KEY_BAD_UTF8: { status: 400, message: 'the path does not decode to valid UTF-8' },
  OS_ERR_KEY_CONTROL_CHAR: { status: 400, message: 'the key contains a NUL or control character' },
  OS_ERR_KEY_DOT_SEGMENT: { status: 400, message: "the key contains a '.' or '..' segment" },
  OS_ERR_KEY_TOO_LONG: { status: 400, message: 'the key is longer than 1024 bytes' },
  OS_ERR_BAD_REQUEST: { status: 400, message: 'malformed request' },
  OS_ERR_SUBRESOURCE_REFUSED: { status: 400, message: 'a query parameter would change the S3 operation' },
  OS_ERR_COPY_REFUSED: { status: 400, message: 'a write names a source object to copy or rename' },
  OS_ERR_PROTECTION_NOT_FORWARDED: { status: 400, message: 'a write asks for encryption or object lock this block does not forward' },
  OS_ERR_APPEND_NOT_FORWARDED: { status: 400, message: 'a write asks to append to an object and this block does not forward x-amz-write-offset-bytes' },
  OS_ERR_BAD_AWS_CHUNKED: { status: 400, message: "the upload's aws-chunked body is malformed" },
  OS_ERR_CHECKSUM_MISMATCH: { status: 400, message: "the upload's trailing checksum does not match its body" },
  OS_ERR_CONTENT_SHA256_MISMATCH: { status: 400, message: "the upload's x-amz-content-sha256 does not match its body" },
  OS_ERR_BAD_HEADER: { status: 400, message: 'a forwarded header value cannot be signed as sent' },
  OS_ERR_REQUEST_TIMEOUT: { status: 408, message: 'the request headers did not arrive in time' },
  // Uploads
  OS_ERR_LENGTH_REQUIRED: { status: 411, message: 'the upload has no Content-Length, and no chunked body this block can spool' },
  OS_ERR_BODY_TOO_LARGE: { status: 413, message: 'the upload is larger than this block spools' },
  OS_ERR_TRANSFER_CODING: { status: 501, message: 'the request uses a transfer coding other than chunked' },
  OS_ERR_SPOOL_FAILED: { status: 507, message: 'the proxy could not spool the upload to its disk' },
  // Upstream
  OS_ERR_CREDENTIALS_UNAVAILABLE: { status: 503, message: 'no valid credentials to sign with' },
  OS_ERR_UPSTREAM_UNREACHABLE: { status: 502, message: 'upstream unreachable' },
  OS_ERR_UPSTREAM_TIMEOUT: { status: 504, message: 'upstream timed out' },
  OS_ERR_UPSTREAM_BUSY: { status: 503, message: 'no upstream connection became free in time' },
  OS_ERR_UPSTREAM_REDIRECT: { status: 502, message: 'the store answered with a redirect' },
  OS_ERR_UPSTREAM_CHANGING: { status: 502, message: 'the object kept changing while it was read; retry' },
  OS_ERR_UPSTREAM_EARLY_ANSWER: { status: 502, message: 'the store answered an upload before it had all been sent' },
  OS_ERR_INTERNAL: { status: 500, message: 'internal error' },
  OS_ERR_SHUTTING_DOWN: { status: 503, message: 'the proxy is shutting down' },
  // Start-up
  OS_ERR_CONFIG_INVALID: { status: null, message: 'the configuration is invalid' },
  OS_ERR_CONFIG_UNREADABLE: { status: null, message: 'the configuration file cannot be read' },
  OS_ERR_LISTEN: { status: null, message: 'cannot listen on the configured address' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An error with a code from {@link ERRORS}; `detail` is a short, secret-free reason. */
export class OriginSignerError extends Error {
  readonly code: ErrorCode;
  readonly status: number | null;
  constructor(code: ErrorCode, detail?: string, options?: ErrorOptions) {
    super(detail ?? ERRORS[code].message, options);
    this.name = 'OriginSignerError';
    this.code = code;
    this.status = ERRORS[code].status;
  }
}
