/**
 * Request headers as received: an ordered list of [name, value] pairs, with
 * repeats kept (Node's `req.rawHeaders`). `req.headers` would merge or drop
 * repeats by its own rules; the signature rules need the raw list.
 */

export type HeaderList = ReadonlyArray<readonly [string, string]>;

export function headerListFromRaw(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

/** All values of a header (case-insensitive name), in order. */
export function headerValues(headers: HeaderList, name: string): string[] {
  const n = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

/** First value of a header, or undefined. */
export function header(headers: HeaderList, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/**
 * Repeated headers joined with "," in order — the SigV4 rule
 * ("Append a comma-separated list of values for that header",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
 * and the SigV2 rule for x-amz-* headers.
 */
export function headerJoined(headers: HeaderList, name: string): string | undefined {
  const v = headerValues(headers, name);
  return v.length === 0 ? undefined : v.join(',');
}

/** Distinct lower-case header names, in first-seen order. */
export function headerNames(headers: HeaderList): string[] {
  return [...new Set(headers.map(([k]) => k.toLowerCase()))];
}
