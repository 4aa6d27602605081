/**
 * Bucket-level operations: ListObjectsV2 / ListObjects, HeadBucket, GetBucketLocation.
 */
import type { Exchange } from './exchange.js';
import { listKeys, listV1Xml, listV2Xml, parseListV1, parseListV2 } from './list-objects.js';
import { queryGet } from './query.js';
import { invalidArgument, xmlEscape } from './s3-errors.js';

export async function listObjects(x: Exchange, bucket: string): Promise<void> {
  await x.drainBody();
  const listType = queryGet(x.params, 'list-type');
  const objects = x.store.list(bucket);
  if (listType === '2') {
    const r = parseListV2(x.params);
    return x.sendXml(200, listV2Xml(bucket, r, listKeys(objects, r)));
  }
  if (listType !== undefined) throw invalidArgument('Invalid List Type specified in Request', 'list-type', listType);
  const r = parseListV1(x.params);
  x.sendXml(200, listV1Xml(bucket, r, listKeys(objects, r)));
}

export async function headBucket(x: Exchange, region: string): Promise<void> {
  await x.drainBody();
  x.send(200, { 'x-amz-bucket-region': region });
}

export async function getBucketLocation(x: Exchange, region: string): Promise<void> {
  await x.drainBody();
  // us-east-1 is reported as an empty LocationConstraint (API_GetBucketLocation.html).
  const loc = region === 'us-east-1' ? '' : xmlEscape(region);
  x.sendXml(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${loc}</LocationConstraint>`,
  );
}
