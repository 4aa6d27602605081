/** Where one request goes on the store: the encoded path and the canonical query (without `?`). */
export interface UpstreamTarget {
  readonly path: string;
  readonly query: string;
}

/** The path and query undici sends: the bytes that are signed. */
export const requestPath = (t: UpstreamTarget): string => (t.query === '' ? t.path : `${t.path}?${t.query}`);
