import type { IncomingMessage } from 'node:http';

/**
 * `Host = uri-host [ ":" port ]` (RFC 9112 §3.2, RFC 3986 §3.2.2): an IP literal in brackets or a
 * reg-name (unreserved, pct-encoded, sub-delims), then at most a numeric port. Nothing else may
 * ride in it: the Host is part of the URL a signed URL's policy is judged against.
 */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/;

/**
 * Why the request's Host cannot be used, or undefined. RFC 9112 §3.2: a server MUST answer 400 to
 * a request with more than one Host field line or an invalid Host value. Node keeps only the first
 * of repeated Host lines in `req.headers`, so the raw list is counted.
 */
export function hostHeaderProblem(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host !== undefined && !HOST.test(host)) return 'the Host header is not a host name or address with an optional port';
  let lines = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host' && ++lines > 1) return 'the request has more than one Host header';
  return undefined;
}

/** `X-Forwarded-Proto` from a trusted proxy: only `http` or `https` name a scheme the URL can have. */
export function forwardedScheme(value: string | string[] | undefined): 'http' | 'https' | undefined {
  const first = String(value ?? '').split(',')[0]!.trim().toLowerCase();
  return first === 'http' || first === 'https' ? first : undefined;
}
