/**
 * Single byte-range requests (RFC 7233 §2.1, §4), as S3 serves them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Range"):
 *  - `bytes=a-b`, `bytes=a-`, `bytes=-n` → 206 with Content-Range;
 *  - a syntactically invalid header, or one with several ranges, is ignored
 *    (RFC 7233 §3.1 lets a server ignore Range; S3 answers 200 with the whole
 *    object for multiple ranges);
 *  - a valid but unsatisfiable range → 416 InvalidRange with
 *    `Content-Range: bytes * /size` (RFC 7233 §4.4).
 */

export type RangeResult =
  | { kind: 'none' }
  | { kind: 'partial'; start: number; end: number /* inclusive */ }
  | { kind: 'unsatisfiable' };

export function evaluateRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return { kind: 'none' };
  const specs = (m[1] as string).split(',').map((s) => s.trim());
  if (specs.length !== 1) return { kind: 'none' };
  const spec = specs[0] as string;
  const r = /^(\d*)-(\d*)$/.exec(spec);
  if (!r || (r[1] === '' && r[2] === '')) return { kind: 'none' };
  const first = r[1] === '' ? undefined : Number(r[1]);
  const last = r[2] === '' ? undefined : Number(r[2]);
  if ((first !== undefined && !Number.isSafeInteger(first)) || (last !== undefined && !Number.isSafeInteger(last))) {
    return { kind: 'none' };
  }
  if (first === undefined) {
    // suffix-byte-range-spec: the last n bytes; n = 0 is unsatisfiable (RFC 7233 §2.1).
    const n = last as number;
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  // last-byte-pos < first-byte-pos makes the spec invalid → ignored (§2.1).
  if (last !== undefined && last < first) return { kind: 'none' };
  if (first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: first, end: Math.min(last ?? size - 1, size - 1) };
}
