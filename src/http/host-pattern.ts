/** `example.com` matches itself; `*.example.com` matches exactly one more label (`a.example.com`, not `a.b.example.com`). */
export function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && host.length > suffix.length && !host.slice(0, -suffix.length).includes('.');
}

/** The request's Host without its port, lower case (RFC 9110 §7.2); `[::1]:8080` → `[::1]`. */
export function hostOf(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const h = header.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}
