/**
 * Object operations: GetObject / HeadObject / PutObject / DeleteObject (x-amz-if-match-size honoured).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { evaluateConditionals } from './conditional.js';
import { httpDate } from './dates.js';
import type { Exchange } from './exchange.js';
import { queryGet } from './query.js';
import { evaluateRange } from './range.js';
import { S3Error } from './s3-errors.js';
import type { ObjectInfo, ObjectMeta, StoredHeaders } from './store.js';

/** S3's default Content-Type for objects stored without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
/** S3 limits user-defined metadata to 2 KB (names + values, UTF-8). */
export const MAX_METADATA_BYTES = 2048;

const STORED: ReadonlyArray<keyof StoredHeaders> = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

/** The response-* query overrides S3 honours on signed GET/HEAD requests. */
export const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-cache-control': 'cache-control',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-content-encoding': 'content-encoding',
};

/** Content-Type, x-amz-meta-* and the stored entity headers of a PUT / CreateMultipartUpload. */
export function objectInfoFrom(x: Exchange): ObjectInfo {
  const metadata: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, value] of x.headers) {
    const n = name.toLowerCase();
    if (!n.startsWith('x-amz-meta-')) continue;
    const v = value.trim();
    metadata[n] = n in metadata ? `${metadata[n]},${v}` : v;
    metaBytes += Buffer.byteLength(n.slice('x-amz-meta-'.length)) + Buffer.byteLength(v);
  }
  if (metaBytes > MAX_METADATA_BYTES) {
    throw new S3Error(400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', [
      ['Size', String(metaBytes)],
      ['MaxSizeAllowed', String(MAX_METADATA_BYTES)],
    ]);
  }
  const headers: StoredHeaders = {};
  for (const h of STORED) {
    let v = x.header(h);
    if (h === 'content-encoding' && v !== undefined) {
      // aws-chunked is transfer framing, not part of the stored object (sigv4-streaming.html).
      v = v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '' && s.toLowerCase() !== 'aws-chunked')
        .join(',');
      if (v === '') v = undefined;
    }
    if (v !== undefined) headers[h] = v;
  }
  return { contentType: x.header('content-type') ?? DEFAULT_CONTENT_TYPE, metadata, headers };
}

function entityHeaders(x: Exchange, meta: ObjectMeta): Record<string, string> {
  const out: Record<string, string> = {
    etag: meta.etag,
    'last-modified': httpDate(meta.lastModified),
    'accept-ranges': 'bytes',
    'content-type': meta.contentType,
    ...meta.metadata,
  };
  for (const h of STORED) {
    const v = meta.headers[h];
    if (v !== undefined) out[h] = v;
  }
  for (const [param, h] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = queryGet(x.params, param);
    if (v !== undefined) out[h] = v;
  }
  return out;
}

export async function getObject(x: Exchange, bucket: string, key: string): Promise<void> {
  await x.drainBody();
  const meta = x.store.get(bucket, key);
  if (!meta) {
    if (x.method === 'HEAD') return x.send(404, {});
    throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
  }
  const cond = evaluateConditionals(
    x.method,
    {
      ifMatch: x.header('if-match'),
      ifNoneMatch: x.header('if-none-match'),
      ifModifiedSince: x.header('if-modified-since'),
      ifUnmodifiedSince: x.header('if-unmodified-since'),
    },
    meta.etag,
    meta.lastModified,
  );
  if (cond.kind === 'not-modified') {
    // RFC 7232 §4.1: a 304 carries the validators, no body.
    return x.send(304, { etag: meta.etag, 'last-modified': httpDate(meta.lastModified) });
  }
  if (cond.kind === 'precondition-failed') {
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [
      ['Condition', cond.condition],
    ]);
  }
  const range = evaluateRange(x.header('range'), meta.size);
  if (range.kind === 'unsatisfiable') {
    throw new S3Error(
      416,
      'InvalidRange',
      'The requested range is not satisfiable',
      [
        ['RangeRequested', x.header('range') ?? ''],
        ['ActualObjectSize', String(meta.size)],
      ],
      { 'content-range': `bytes */${meta.size}` },
    );
  }
  const headers: Record<string, string | number> = entityHeaders(x, meta);
  let start = 0;
  let end = meta.size - 1;
  let status = 200;
  if (range.kind === 'partial') {
    status = 206;
    start = range.start;
    end = range.end;
    headers['content-range'] = `bytes ${start}-${end}/${meta.size}`;
  }
  headers['content-length'] = end - start + 1;
  if (x.method === 'HEAD' || meta.size === 0) return x.send(status, headers);

  const fh = await open(meta.file, 'r');
  x.record.status = status;
  x.res.writeHead(status, { ...baseHeaders(x), ...headers });
  try {
    // createReadStream + pipeline: backpressure from the socket, never the whole file in memory.
    await pipeline(fh.createReadStream({ start, end }), x.res);
  } catch {
    x.res.destroy(); // client went away; nothing else to do
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function baseHeaders(x: Exchange): Record<string, string> {
  return {
    'x-amz-request-id': x.requestId,
    'x-amz-id-2': x.hostId,
    date: httpDate(x.now()),
    server: 'AmazonS3',
  };
}

export async function putObject(x: Exchange, bucket: string, key: string): Promise<void> {
  const info = objectInfoFrom(x);
  const body = await x.receiveBody({ requireLength: true, checksums: true });
  const etag = `"${body.md5.toString('hex')}"`;
  await x.store.commit(bucket, key, body.file, { ...info, size: body.size, etag, lastModified: x.now() });
  x.send(200, { etag });
}

export async function deleteObject(x: Exchange, bucket: string, key: string): Promise<void> {
  await x.drainBody();
  // DeleteObject's x-amz-if-match-size: a size that does not match is 412; a missing object is still 204.
  const size = x.header('x-amz-if-match-size');
  const meta = size === undefined ? undefined : x.store.get(bucket, key);
  if (meta && String(meta.size) !== size?.trim()) {
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [['Condition', 'x-amz-if-match-size']]);
  }
  await x.store.delete(bucket, key);
  x.send(204, {});
}
