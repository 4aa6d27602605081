import { trimOws } from '../ows.js';
import type { HeaderList } from '../types.js';
import { canonicalAmzHeaders } from './amz-headers.js';
import { canonicalResource } from './canonical-resource.js';

function headerValue(headers: HeaderList, lowerName: string): string {
  for (const [name, value] of headers) if (name.toLowerCase() === lowerName) return trimOws(value);
  return '';
}

export interface V2StringToSignInput {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: HeaderList;
  /** Bucket named by a virtual-hosted Host, or undefined for path-style requests. */
  readonly bucket: string | undefined;
  /**
   * What goes in the Date slot: the `Date` header in header mode — empty when `x-amz-date` is sent,
   * since S3 then reads the date from CanonicalizedAmzHeaders — or the `Expires` epoch seconds in
   * query mode.
   */
  readonly dateSlot: string;
}

/** StringToSign = Method \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders CanonicalizedResource. */
export function stringToSignV2(i: V2StringToSignInput): string {
  return `${i.method}\n${headerValue(i.headers, 'content-md5')}\n${headerValue(i.headers, 'content-type')}\n${i.dateSlot}\n${canonicalAmzHeaders(i.headers)}${canonicalResource(i.bucket, i.path, i.query)}`;
}

/** The Date slot of a header-mode request, as S3 computes it from the headers. */
export function headerModeDateSlot(headers: HeaderList): string {
  return headerValue(headers, 'x-amz-date') !== '' ? '' : headerValue(headers, 'date');
}
