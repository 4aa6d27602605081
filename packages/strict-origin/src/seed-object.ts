/** Objects a test puts straight into the store (StrictOrigin.putObject), stored as a PUT would store them. */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { DEFAULT_CONTENT_TYPE } from './ops-object.js';
import type { ObjectStore } from './store.js';

export interface SeedMeta {
  contentType?: string;
  metadata?: Record<string, string>;
  lastModified?: Date;
  headers?: { 'cache-control'?: string; expires?: string };
}

/** Metadata names as S3 keeps them: lower case, `x-amz-meta-` added when missing. */
function metadataHeaders(metadata: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    out[k.toLowerCase().startsWith('x-amz-meta-') ? k.toLowerCase() : `x-amz-meta-${k.toLowerCase()}`] = v;
  }
  return out;
}

export async function seedObject(store: ObjectStore, bucket: string, key: string, body: Buffer | string, meta: SeedMeta, clock: () => number): Promise<void> {
  if (!store.hasBucket(bucket)) throw new Error(`strict-origin: no bucket "${bucket}"`);
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const temp = store.tempPath();
  await writeFile(temp, buf);
  await store.commit(bucket, key, temp, {
    contentType: meta.contentType ?? DEFAULT_CONTENT_TYPE,
    metadata: metadataHeaders(meta.metadata ?? {}),
    headers: { ...meta.headers },
    size: buf.length,
    etag: `"${createHash('md5').update(buf).digest('hex')}"`,
    lastModified: meta.lastModified?.getTime() ?? clock(),
  });
}
