import { percentDecode, uriEncode } from '../uri-encode.js';

/** One query parameter in its canonical (encoded) form. */
export type EncodedParam = readonly [key: string, value: string];

/**
 * Splits a wire query string into encoded pairs: each key and value is percent-decoded once and
 * encoded again with the strict SigV4 rules, so `%e1%88%b4`, `ሴ` and `%E1%88%B4` all become
 * `%E1%88%B4`. A valueless parameter (`?acl`) gets an empty value (`acl=`), as S3 signs it.
 * `+` stays a literal plus (`%2B`): SigV4 never treats it as a space.
 */
export function parseQuery(query: string): EncodedParam[] {
  const params: EncodedParam[] = [];
  if (query === '') return params;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    params.push([uriEncode(percentDecode(rawKey) ?? rawKey), uriEncode(percentDecode(rawValue) ?? rawValue)]);
  }
  return params;
}

const byKeyThenValue = (a: EncodedParam, b: EncodedParam): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/**
 * CanonicalQueryString: encoded pairs sorted by key, then by value (the suite's
 * get-vanilla-query-order-value), joined as `k=v&k=v`. Sorting compares the encoded forms, byte by
 * byte, as AWS does.
 */
export function canonicalQuery(params: readonly EncodedParam[]): string {
  if (params.length === 0) return '';
  if (params.length === 1) return `${params[0]![0]}=${params[0]![1]}`;
  return [...params].sort(byKeyThenValue).map(([k, v]) => `${k}=${v}`).join('&');
}
