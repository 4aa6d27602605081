/**
 * Multipart upload: Create / UploadPart / Complete / Abort / ListParts.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import { readFile } from 'node:fs/promises';
import type { Exchange } from './exchange.js';
import { MAX_PART_NUMBER, completeXml, initiateXml, listPartsXml, multipartEtag, parseCompleteXml, selectParts } from './multipart.js';
import { objectInfoFrom } from './ops-object.js';
import { queryGet } from './query.js';
import { S3Error, invalidArgument } from './s3-errors.js';
import type { Upload } from './store.js';

/** A CompleteMultipartUpload body bigger than this is refused (10000 parts fit easily). */
const MAX_COMPLETE_XML = 4 * 1024 * 1024;

function findUpload(x: Exchange, bucket: string, key: string): Upload {
  const id = queryGet(x.params, 'uploadId') ?? '';
  const up = x.store.getUpload(id);
  if (!up || up.bucket !== bucket || up.key !== key) {
    throw new S3Error(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      [['UploadId', id]],
    );
  }
  return up;
}

export async function createMultipartUpload(x: Exchange, bucket: string, key: string): Promise<void> {
  const info = objectInfoFrom(x);
  await x.drainBody();
  const up = x.store.createUpload(bucket, key, info, x.now());
  x.sendXml(200, initiateXml(bucket, key, up.uploadId));
}

export async function uploadPart(x: Exchange, bucket: string, key: string): Promise<void> {
  const raw = queryGet(x.params, 'partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  }
  const up = findUpload(x, bucket, key);
  const body = await x.receiveBody({ requireLength: true, checksums: true });
  const etag = `"${body.md5.toString('hex')}"`;
  await x.store.putPart(up, { partNumber: n, size: body.size, md5: body.md5, etag, lastModified: Math.floor(x.now() / 1000) * 1000 }, body.file);
  x.send(200, { etag });
}

export async function completeMultipartUpload(x: Exchange, bucket: string, key: string): Promise<void> {
  const up = findUpload(x, bucket, key);
  const cl = Number(x.header('content-length') ?? '0');
  if (cl > MAX_COMPLETE_XML) throw new S3Error(400, 'MalformedXML', 'The XML you provided was too large');
  const body = await x.receiveBody({ requireLength: false });
  let xml: string;
  try {
    xml = (await readFile(body.file)).toString('utf8');
  } finally {
    await x.store.discard(body.file);
  }
  const parts = selectParts(up, parseCompleteXml(xml), x.minPartSize);
  const etag = multipartEtag(parts);
  const size = parts.reduce((s, p) => s + p.size, 0);
  // x-amz-mp-object-size: the object the viewer meant to assemble, else 400 InvalidRequest (S3 API Reference, CompleteMultipartUpload).
  const expected = x.header('x-amz-mp-object-size');
  if (expected !== undefined && expected.trim() !== String(size)) {
    throw new S3Error(400, 'InvalidRequest', 'The provided x-amz-mp-object-size does not match the size of the object.');
  }
  const temp = await x.store.assemble(parts);
  await x.store.commit(bucket, key, temp, { ...up.info, size, etag, lastModified: x.now() });
  await x.store.finishUpload(up);
  const host = x.header('host') ?? 'localhost';
  x.sendXml(200, completeXml(`http://${host}/${bucket}/${encodeURIComponent(key)}`, bucket, key, etag));
}

export async function abortMultipartUpload(x: Exchange, bucket: string, key: string): Promise<void> {
  await x.drainBody();
  await x.store.abortUpload(findUpload(x, bucket, key));
  x.send(204, {});
}

export async function listParts(x: Exchange, bucket: string, key: string): Promise<void> {
  await x.drainBody();
  const up = findUpload(x, bucket, key);
  const maxRaw = queryGet(x.params, 'max-parts');
  const markerRaw = queryGet(x.params, 'part-number-marker');
  const max = maxRaw === undefined ? 1000 : /^\d{1,9}$/.test(maxRaw) ? Math.min(Number(maxRaw), 1000) : NaN;
  const marker = markerRaw === undefined ? 0 : /^\d{1,9}$/.test(markerRaw) ? Number(markerRaw) : NaN;
  if (Number.isNaN(max)) throw invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', maxRaw);
  if (Number.isNaN(marker)) throw invalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', markerRaw);
  x.sendXml(200, listPartsXml(up, marker, max));
}
