/** One byte range resolved against an object's size: [start, end] inclusive, as Content-Range says it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * `bytes=first-last`, spaces allowed around each part. Never two runs of spaces with only an
 * optional part between them: a viewer's `bytes=` + 16 KiB of spaces made that backtrack
 * quadratically, a tenth of a second of the event loop per request.
 */
const RANGE_SPEC = /^\s*bytes\s*=\s*(?:(\d+)\s*)?-\s*(?:(\d+)\s*)?$/i;

/** One `bytes=first-last` range (either part may be empty: ''), or null: no header, several ranges, another unit. */
export function byteRangeSpec(header: string | undefined): RegExpExecArray | null {
  const m = header === undefined ? null : RANGE_SPEC.exec(header);
  if (m) {
    m[1] ??= '';
    m[2] ??= '';
  }
  return m;
}

/**
 * A viewer's `Range` header against an object of `size` bytes (RFC 9110 §14.1.2): a range,
 * 'whole' (no header, a header this proxy does not serve — another unit or several ranges, which
 * S3 also answers whole), or 'unsatisfiable' (416).
 */
export function resolveRange(header: string | undefined, size: number): ByteRange | 'whole' | 'unsatisfiable' {
  const m = byteRangeSpec(header);
  if (!m || (m[1] === '' && m[2] === '')) return 'whole';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return 'whole';
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** A 206's `Content-Range: bytes first-last/size` (RFC 9110 §14.4), or undefined: absent or another form. */
export function contentRange(value: string | undefined): (ByteRange & { readonly size: number }) | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? '');
  return m ? { start: Number(m[1]), end: Number(m[2]), size: Number(m[3]) } : undefined;
}
