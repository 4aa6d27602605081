/**
 * Which S3 operation an authenticated request is, from its method, bucket, key and sub-resources,
 * and the answer for the ones this origin does not implement (501) or that S3 refuses outright.
 */
import type { Exchange } from './exchange.js';
import { header } from './headers.js';
import { getBucketLocation, headBucket, listObjects } from './ops-bucket.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listParts, uploadPart } from './ops-multipart.js';
import { deleteObject, getObject, putObject } from './ops-object.js';
import { queryGet, queryHas } from './query.js';
import { S3Error, noSuchBucket, notImplemented } from './s3-errors.js';

/** Sub-resources this origin recognises but does not implement (→ 501 NotImplemented). */
const UNSUPPORTED_SUBRESOURCES = [
  'acl',
  'tagging',
  'torrent',
  'retention',
  'legal-hold',
  'restore',
  'select',
  'attributes',
  'versionId',
  'versions',
  'versioning',
  'cors',
  'policy',
  'policyStatus',
  'lifecycle',
  'website',
  'logging',
  'notification',
  'replication',
  'encryption',
  'object-lock',
  'accelerate',
  'requestPayment',
  'ownershipControls',
  'publicAccessBlock',
  'analytics',
  'metrics',
  'inventory',
  'intelligent-tiering',
  'delete',
  'uploads',
];

/** Maximum S3 key length: 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

const unsupportedSubresource = (x: Exchange): string | undefined => UNSUPPORTED_SUBRESOURCES.find((s) => queryHas(x.params, s));

export async function dispatchS3Operation(x: Exchange, region: string, bucket: string | undefined, key: string | undefined): Promise<void> {
  if (bucket === undefined) throw notImplemented('ListBuckets is not implemented by this origin.');
  if (!x.store.hasBucket(bucket)) {
    if (x.method === 'HEAD') return x.send(404, {});
    throw noSuchBucket(bucket);
  }
  return key === undefined ? bucketOperation(x, region, bucket) : objectOperation(x, bucket, key);
}

function bucketOperation(x: Exchange, region: string, bucket: string): Promise<void> {
  const m = x.method;
  if (m === 'GET' && queryHas(x.params, 'location')) return getBucketLocation(x, region);
  const unsupported = unsupportedSubresource(x);
  if (unsupported) throw notImplemented(`The bucket sub-resource "${unsupported}" is not implemented by this origin.`);
  if (m === 'GET') return listObjects(x, bucket);
  if (m === 'HEAD') return headBucket(x, region);
  throw notImplemented(`${m} on a bucket is not implemented by this origin.`);
}

function objectOperation(x: Exchange, bucket: string, key: string): Promise<void> {
  const m = x.method;
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', [
      ['Size', String(Buffer.byteLength(key, 'utf8'))],
      ['MaxSizeAllowed', String(MAX_KEY_BYTES)],
    ]);
  }
  const uploadId = queryGet(x.params, 'uploadId');
  if (m === 'POST' && queryHas(x.params, 'uploads')) return createMultipartUpload(x, bucket, key);
  const unsupported = unsupportedSubresource(x);
  if (unsupported) throw notImplemented(`The object sub-resource "${unsupported}" is not implemented by this origin.`);
  switch (m) {
    case 'GET':
      if (uploadId !== undefined) return listParts(x, bucket, key);
      if (queryHas(x.params, 'partNumber')) throw notImplemented('GetObject with partNumber is not implemented by this origin.');
      return getObject(x, bucket, key);
    case 'HEAD':
      if (queryHas(x.params, 'partNumber')) throw notImplemented('HeadObject with partNumber is not implemented by this origin.');
      return getObject(x, bucket, key);
    case 'PUT':
      if (header(x.headers, 'x-amz-copy-source') !== undefined) throw notImplemented('CopyObject is not implemented by this origin.');
      if (uploadId !== undefined || queryHas(x.params, 'partNumber')) return uploadPart(x, bucket, key);
      return putObject(x, bucket, key);
    case 'POST':
      if (uploadId !== undefined) return completeMultipartUpload(x, bucket, key);
      throw notImplemented('This POST operation is not implemented by this origin.');
    case 'DELETE':
      if (uploadId !== undefined) return abortMultipartUpload(x, bucket, key);
      return deleteObject(x, bucket, key);
    default:
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [
        ['Method', m],
        ['ResourceType', 'OBJECT'],
      ]);
  }
}
