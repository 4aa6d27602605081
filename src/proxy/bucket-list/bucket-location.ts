import type { ResolvedBlock } from '../../config/types.js';
import { writeXmlAnswer, type StoreErrorContext } from '../store-error-answer.js';
import { SUBRESOURCES } from '../upstream-query.js';
import { LIST_PARAMS } from './list-query.js';

/**
 * The query is GetBucketLocation's (`?location`, maybe with the SDKs' `x-id`), naming no listing
 * parameter nor another sub-resource. Names as sent: a percent-encoded `location` is no match,
 * and the listing refuses it as a sub-resource.
 */
export function asksLocation(rawQuery: string): boolean {
  let location = false;
  for (const part of rawQuery.split('&')) {
    if (part === 'location' || part === 'location=') location = true;
    else if (part !== 'x-id=GetBucketLocation') {
      const name = part.split('=', 1)[0]!;
      if (name === 'x-id' || LIST_PARAMS.has(name) || SUBRESOURCES.has(name)) return false;
    }
  }
  return location;
}

/**
 * S3's LocationConstraint: empty for us-east-1 (S3 API Reference, GetBucketLocation), and for a
 * block that names no single region (SigV2, SigV4A's `*`).
 */
export function locationConstraint(block: ResolvedBlock): string {
  const r = block.region;
  return r === undefined || r === '*' || r === 'us-east-1' ? '' : r;
}

/**
 * GetBucketLocation of a block with `listObjects` (README "Listing a block like a bucket"): the
 * region the block's store is in, answered by the proxy. minio-go (mc, restic) asks it before
 * anything else when no region is set. Nothing reaches the store; regions are `[a-z0-9-]`, so
 * the XML needs no escaping.
 */
export function answerBucketLocation(c: StoreErrorContext): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${locationConstraint(c.block)}</LocationConstraint>`;
  writeXmlAnswer(c, 200, xml);
  c.res.end();
}
