/**
 * Reads the credentials of a SigV4 / SigV4A request: the Authorization header, or the presigned
 * URL's X-Amz-* parameters. Shape only; what the values must be is checked by the callers.
 */
import { headerValues } from './headers.js';
import { queryCount, queryGet, type QueryParam } from './query.js';
import { malformedCredentialParam, malformedHeader, malformedQuery } from './sigv4-errors.js';
import type { SignableRequest } from './types.js';
import { SIGV4, SIGV4A, type V4Scope, type V4Variant, type V4aScope } from './v4-variants.js';

export type ParsedAuthorization<S> = S & { signedHeaders: string[]; signature: string };
export type ParsedV4Auth = ParsedAuthorization<V4Scope>;

const COMPONENTS = ['Credential', 'SignedHeaders', 'Signature'];

function splitSignedHeaders(value: string): string[] | undefined {
  if (value === '') return undefined;
  const names = value.split(';');
  return names.some((n) => n === '') ? undefined : names.map((n) => n.toLowerCase());
}

/**
 * Parses `<algorithm> Credential=…, SignedHeaders=…, Signature=…` (components separated by ","
 * with optional spaces; S3's examples use ",", the SigV4 suite ", "). Throws AuthorizationHeaderMalformed.
 */
function parseAuthorization<S>(value: string, variant: V4Variant<S>): ParsedAuthorization<S> {
  const { algorithm } = variant;
  if (!value.startsWith(`${algorithm} `)) throw malformedHeader(`the authorization mechanism must be ${algorithm}.`);
  const comps = new Map<string, string>();
  for (const raw of value.slice(algorithm.length + 1).split(',')) {
    const c = raw.trim();
    const eq = c.indexOf('=');
    const name = eq < 0 ? c : c.slice(0, eq);
    if (eq < 0 || !COMPONENTS.includes(name) || comps.has(name)) throw malformedHeader(`the authorization component "${c}" is malformed.`);
    comps.set(name, c.slice(eq + 1));
  }
  const cred = comps.get('Credential');
  const sh = comps.get('SignedHeaders');
  const sig = comps.get('Signature');
  if (cred === undefined || sh === undefined || sig === undefined) {
    throw malformedHeader('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const scope = variant.splitCredential(cred);
  if (!scope) throw malformedHeader(variant.credentialShape);
  const signedHeaders = splitSignedHeaders(sh);
  if (!signedHeaders) throw malformedHeader('the SignedHeaders component is empty or malformed.');
  return { ...scope, signedHeaders, signature: sig };
}

/** `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=…, Signature=…`. */
export function parseAuthorizationV4(value: string): ParsedV4Auth {
  return parseAuthorization(value, SIGV4);
}

/** `AWS4-ECDSA-P256-SHA256 Credential=AKID/date/service/aws4_request, SignedHeaders=…, Signature=…`. */
export function parseAuthorizationV4a(value: string): ParsedAuthorization<V4aScope> {
  return parseAuthorization(value, SIGV4A);
}

/** The request's one Authorization header, parsed. */
export function readAuthorizationHeader<S>(req: SignableRequest, variant: V4Variant<S>): ParsedAuthorization<S> {
  const authz = headerValues(req.headers, 'authorization');
  if (authz.length !== 1) throw malformedHeader('exactly one Authorization header is required.');
  return parseAuthorization(authz[0] as string, variant);
}

/** A presigned URL's auth parameters: each once, all present, the variant's algorithm. Returns a reader for them. */
export function readPresignedParams<S>(params: readonly QueryParam[], variant: V4Variant<S>): (name: string) => string {
  for (const name of [...variant.presignParams, 'X-Amz-Security-Token']) {
    if (queryCount(params, name) > 1) throw malformedQuery(`The query parameter ${name} must not be repeated.`);
  }
  if (variant.presignParams.some((n) => queryGet(params, n) === undefined)) throw malformedQuery(variant.presignMissing);
  const param = (name: string): string => queryGet(params, name) as string;
  if (param('X-Amz-Algorithm') !== variant.algorithm) throw malformedQuery(variant.presignWrongAlgorithm);
  return param;
}

export function presignedCredential<S>(value: string, variant: V4Variant<S>): S {
  const scope = variant.splitCredential(value);
  if (!scope) throw malformedCredentialParam(variant.credentialShape);
  return scope;
}

export function presignedSignedHeaders(value: string): string[] {
  const names = splitSignedHeaders(value);
  if (!names) throw malformedQuery('X-Amz-SignedHeaders is empty or malformed.');
  return names;
}
