import type { IncomingMessage } from 'node:http';
import type { BlockAccess } from '../config/types.js';
import { forwardedScheme } from '../http/host-header.js';
import { clientIpResolver, peerTrustResolver, type TrustProxy } from './client-ip.js';
import { ipInRange } from './policy.js';
import { secretHeaderMatcher } from './require-header.js';
import { verifySigned, type SignatureFailure, type SignedParams } from './signed-request.js';

/** Why a viewer was turned away: the 403's reason and the metric label. */
export type DenyReason = SignatureFailure | 'missing secret header' | 'wrong secret header';

export type AccessCheck = (req: IncomingMessage, rawPath: string, rawQuery: string) => DenyReason | undefined;

/** Query parameters of a CloudFront signed URL: checked here, never part of the URL it signs. */
export const SIGNED_URL_PARAMS: ReadonlySet<string> = new Set(['Expires', 'Signature', 'Key-Pair-Id', 'Policy', 'Hash-Algorithm']);

const decode = (v: string): string => {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

/** Splits the viewer's query into CloudFront's parameters and the rest (raw, in order). */
function splitQuery(rawQuery: string): { params: SignedParams; rest: string } {
  const found: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    if (SIGNED_URL_PARAMS.has(name)) found[name] = decode(eq === -1 ? '' : part.slice(eq + 1));
    else rest.push(part);
  }
  return {
    params: {
      ...(found.Signature !== undefined ? { signature: found.Signature } : {}),
      ...(found['Key-Pair-Id'] !== undefined ? { keyPairId: found['Key-Pair-Id'] } : {}),
      ...(found.Expires !== undefined ? { expires: found.Expires } : {}),
      ...(found.Policy !== undefined ? { policy: found.Policy } : {}),
      ...(found['Hash-Algorithm'] !== undefined ? { hashAlgorithm: found['Hash-Algorithm'] } : {}),
    },
    rest: rest.join('&'),
  };
}

/** CloudFront's signed cookies (CloudFront-Policy / -Signature / -Key-Pair-Id / -Expires / -Hash-Algorithm). */
function cookieParams(header: string | undefined): SignedParams {
  const c: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name.startsWith('CloudFront-')) c[name] = decode(part.slice(eq + 1).trim());
  }
  return {
    ...(c['CloudFront-Signature'] !== undefined ? { signature: c['CloudFront-Signature'] } : {}),
    ...(c['CloudFront-Key-Pair-Id'] !== undefined ? { keyPairId: c['CloudFront-Key-Pair-Id'] } : {}),
    ...(c['CloudFront-Expires'] !== undefined ? { expires: c['CloudFront-Expires'] } : {}),
    ...(c['CloudFront-Policy'] !== undefined ? { policy: c['CloudFront-Policy'] } : {}),
    ...(c['CloudFront-Hash-Algorithm'] !== undefined ? { hashAlgorithm: c['CloudFront-Hash-Algorithm'] } : {}),
  };
}

/**
 * A block's viewer checks, compiled once: the secret header (constant-time, any of its values),
 * the address allow-list, then a CloudFront-style signed URL — or, when allowed, signed cookies —
 * verified against the URL the viewer asked for (scheme and host from `signedUrls.baseUrl`, else
 * as received). All configured rules must pass.
 */
export function compileAccessCheck(access: BlockAccess | undefined, trustProxy: TrustProxy, clock: () => number): AccessCheck | undefined {
  if (!access) return undefined;
  const clientIp = clientIpResolver(trustProxy);
  const peerTrusted = peerTrustResolver(trustProxy);
  const headerName = access.requireHeader?.name;
  const secretOk = access.requireHeader ? secretHeaderMatcher(access.requireHeader.values) : undefined;
  const allowIps = access.allowIps;
  const signed = access.signedUrls;
  return (req, rawPath, rawQuery) => {
    if (secretOk && headerName) {
      const given = req.headers[headerName];
      if (given === undefined) return 'missing secret header';
      if (!secretOk(Array.isArray(given) ? given.join(',') : given)) return 'wrong secret header';
    }
    const ip = allowIps || signed ? clientIp(req) : '';
    if (allowIps && !allowIps.some((range) => ipInRange(ip, range))) return 'ip not allowed';
    if (signed) {
      const { params, rest } = splitQuery(rawQuery);
      const fromCookies = params.signature === undefined && signed.cookies;
      // Only a trusted proxy's scheme, and only a scheme: anything else would be judged as part of the URL.
      const proto = (peerTrusted(req) && forwardedScheme(req.headers['x-forwarded-proto'])) || 'http';
      const base = signed.baseUrl ?? `${proto}://${req.headers.host ?? ''}`;
      const url = `${base}${rawPath}${rest === '' ? '' : `?${rest}`}`;
      return verifySigned(fromCookies ? cookieParams(req.headers.cookie) : params, { url, clientIp: ip, now: Math.floor(clock() / 1000), keys: signed.keys });
    }
    return undefined;
  };
}
